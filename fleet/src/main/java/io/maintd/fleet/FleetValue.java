package io.maintd.fleet;

import io.maintd.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * What a flag key holds: the value, and what a host cut off from etcd needs to revert on time
 * and to say why. Stored as one JSON object:
 *
 * <pre>{"value":1,"expires_at":1795777881193,"reason":"kernel upgrade","by":"alice","set_at":1795777871193}</pre>
 *
 * @param value           the flag's value
 * @param expiresAtMillis epoch ms after which the value no longer applies (the key's lease ends
 *                        then too); 0 = never
 * @param reason          why, as given to {@code fleet set --reason}; may be empty
 * @param by              who set it (user, and the sudo user when there was one); may be empty
 * @param setAtMillis     when it was set, epoch ms
 */
public record FleetValue(long value, long expiresAtMillis, String reason, String by, long setAtMillis) {
    /** A value is a few dozen bytes; anything much larger is not one of ours. */
    public static final int MAX_BYTES = 4096;
    static final int MAX_TEXT = 1024;

    public FleetValue {
        if (expiresAtMillis < 0 || setAtMillis < 0) {
            throw new IllegalArgumentException("times must not be negative");
        }
    }

    public boolean expires() {
        return expiresAtMillis != 0;
    }

    /** True when the value no longer applies at {@code nowMillis}. */
    public boolean expiredAt(long nowMillis) {
        return expires() && nowMillis >= expiresAtMillis;
    }

    public byte[] encode() {
        JsonObject json = new JsonObject().put("value", value);
        if (expires()) {
            json.put("expires_at", expiresAtMillis);
        }
        return json.put("reason", reason).put("by", by).put("set_at", setAtMillis).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a value as stored; throws {@link MalformedJsonException} saying what is wrong. Fields
     * this version does not know are ignored, so a newer flagctl can add some; known fields must
     * have their type.
     */
    public static FleetValue decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new MalformedJsonException("value is " + bytes.length + " bytes; the limit is " + MAX_BYTES);
        }
        JsonFields json = JsonReader.parseObject(Utf8.strict(bytes));
        long expires = json.integer("expires_at", 0);
        long setAt = json.integer("set_at", 0);
        if (expires < 0 || setAt < 0) {
            throw new MalformedJsonException("expires_at and set_at must not be negative");
        }
        return new FleetValue(json.integer("value"), expires, text(json, "reason"), text(json, "by"), setAt);
    }

    private static String text(JsonFields json, String name) {
        String s = json.string(name, "");
        if (s.length() > MAX_TEXT) {
            throw new MalformedJsonException("field \"" + name + "\" is " + s.length() + " characters; the limit is " + MAX_TEXT);
        }
        return s;
    }
}
