package io.maintd.fleet;

import io.maintd.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * One change flagctl made to the fleet, kept at {@code PREFIX/log/MILLIS-ID} and written in the
 * same transaction as the change, so the entry's revision is the change's:
 *
 * <pre>{"time":1795777871193,"op":"set","scope":"service web","flag":"maint","value":1,"expires_at":0,
 *  "reason":"kernel upgrade","by":"alice"}</pre>
 *
 * @param op    {@code set}, {@code unset}, {@code drain} or {@code undrain}
 * @param scope as {@link Scope#toString()} says it: {@code all}, {@code service web}, {@code host web-3}
 * @param value the value set; ignored for {@code unset} and {@code undrain}
 */
public record LogEntry(long timeMillis, String op, String scope, String flag, long value, long expiresAtMillis,
                       String reason, String by) {
    public static final int MAX_BYTES = 4096;

    public byte[] encode() {
        return new JsonObject().put("time", timeMillis).put("op", op).put("scope", scope).put("flag", flag)
                .put("value", value).put("expires_at", expiresAtMillis).put("reason", reason).put("by", by)
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    public static LogEntry decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new MalformedJsonException("log entry is " + bytes.length + " bytes; the limit is " + MAX_BYTES);
        }
        JsonFields json = JsonReader.parseObject(Utf8.strict(bytes));
        return new LogEntry(json.integer("time"), json.string("op"), json.string("scope"), json.string("flag"),
                json.integer("value", 0), json.integer("expires_at", 0), json.string("reason", ""), json.string("by", ""));
    }
}
