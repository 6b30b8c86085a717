package io.maintd.admin;

import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.flagfile.ScheduledWindow;
import io.maintd.json.JsonObject;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /flags}: every flag and counter in the flag file with its metadata, as
 * {@code flagctl list --json} shows them, for operators who can reach the admin port but not
 * the host's file.
 */
public final class FlagsEndpoint implements AdminEndpoint {
    private final FlagReader flags;

    public FlagsEndpoint(FlagReader flags) {
        this.flags = flags;
    }

    @Override
    public FullHttpResponse respond(FullHttpRequest request) {
        return JsonResponse.ok(new JsonObject().put("file", flags.path().toString()).raw("flags", json(flags)));
    }

    /** The flags as a JSON array, in slot order: also {@code /status}'s {@code flags} section. */
    public static String json(FlagReader flags) {
        List<JsonObject> items = new ArrayList<>();
        for (FlagSnapshot s : flags.list()) {
            items.add(json(s));
        }
        return JsonObject.array(items);
    }

    /** The scheduled windows ({@code flagctl set --at}) as a JSON array: {@code /status}'s {@code windows}. */
    public static String windowsJson(FlagReader flags) {
        List<JsonObject> items = new ArrayList<>();
        for (ScheduledWindow w : flags.windows()) {
            items.add(new JsonObject().put("name", w.flag()).put("value", w.value())
                    .putTime("starts_at", w.startsAtMillis()).putTime("ends_at", w.endsAtMillis()));
        }
        return JsonObject.array(items);
    }

    /** One slot: name, kind, value, last write (time, pid, uid), write count and any pending expiry. */
    public static JsonObject json(FlagSnapshot s) {
        return new JsonObject()
                .put("name", s.name())
                .put("kind", s.kind().label())
                .put("value", s.value())
                .putTime("updated_at", s.updatedAtMillis())
                .put("writer_pid", s.writerPid())
                .put("writer_uid", s.writerUidUnsigned())
                .put("writes", s.changeCount())
                .putTime("expires_at", s.expiresAtMillis())
                .putOrNull("revert_value", s.expires(), s.revertValue());
    }
}
