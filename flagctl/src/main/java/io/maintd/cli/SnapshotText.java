package io.maintd.cli;

import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.flagfile.IsoTime;
import io.maintd.flagfile.ScheduledWindow;
import io.maintd.json.JsonObject;

/** How list, status and watch describe one flag: who wrote it, when it expires, as text or JSON. */
final class SnapshotText {
    private final UserNames users;
    private final long now;

    SnapshotText(UserNames users, long nowMillis) {
        this.users = users;
        this.now = nowMillis;
    }

    String writer(FlagSnapshot s) {
        return users.name(s.writerUidUnsigned()) + " pid " + s.writerPid();
    }

    /** "-", "in 9m58s -> 0", or "overdue 5s -> 0" when no daemon reverted it in time. */
    String expiry(FlagSnapshot s) {
        if (!s.expires()) {
            return "-";
        }
        long left = s.expiresAtMillis() - now;
        String when = left >= 0 ? "in " + DurationText.format(left) : "overdue " + DurationText.format(-left);
        return when + " -> " + s.revertValue();
    }

    JsonObject json(FlagSnapshot s) {
        JsonObject j = new JsonObject()
                .put("name", s.name())
                .put("kind", s.kind().label())
                .put("value", s.value())
                .put("updated_at", s.updatedAtMillis() == 0 ? null : IsoTime.format(s.updatedAtMillis()))
                .put("writer_pid", s.writerPid())
                .put("writer_uid", s.writerUidUnsigned())
                .put("writer_user", users.name(s.writerUidUnsigned()))
                .put("writes", s.changeCount());
        if (s.expires()) {
            j.put("expires_at", IsoTime.format(s.expiresAtMillis()))
                    .put("expires_in_ms", s.expiresAtMillis() - now)
                    .put("reverts_to", s.revertValue());
        } else {
            j.put("expires_at", (String) null);
        }
        return j;
    }

    /** {@code 1 from 2026-12-01T02:00:00.000Z (in 3h) until 2026-12-01T03:00:00.000Z}, or {@code overdue 5s} once due. */
    static String window(ScheduledWindow w, long now) {
        String when = w.due(now) ? "overdue " + DurationText.format(now - w.startsAtMillis())
                : "in " + DurationText.format(w.startsAtMillis() - now);
        return w.value() + " from " + IsoTime.format(w.startsAtMillis()) + " (" + when + ") until "
                + IsoTime.format(w.endsAtMillis());
    }

    static JsonObject json(ScheduledWindow w, long now) {
        return new JsonObject().put("name", w.flag()).put("value", w.value())
                .put("starts_at", IsoTime.format(w.startsAtMillis())).put("ends_at", IsoTime.format(w.endsAtMillis()))
                .put("starts_in_ms", w.startsAtMillis() - now);
    }

    /** Expiries are enforced by the daemon alone; say so when none is there to do it. */
    static void warnIfUnenforced(Invocation in, FlagReader reader, long nowMillis) {
        if (!reader.daemon().alive(nowMillis)) {
            in.warn("no maintd daemon is alive on " + reader.path()
                    + ", so nothing will revert expiring flags or start windows until one runs");
        }
    }
}
