package io.maintd.json;

import java.time.Instant;

/**
 * A JSON object written field by field: how every maintd tool describes flags to scripts
 * (flagctl's --json, the daemon's admin endpoints). Hand-written because nothing more than
 * flat objects, nested objects and arrays of them is needed, and flagctl's start-up budget
 * has no room for a JSON library.
 */
public final class JsonObject {
    private final StringBuilder b = new StringBuilder("{");

    public JsonObject put(String key, String value) {
        key(key);
        if (value == null) {
            b.append("null");
        } else {
            quote(b, value);
        }
        return this;
    }

    public JsonObject put(String key, long value) {
        key(key).append(value);
        return this;
    }

    /** Epoch milliseconds as an ISO-8601 UTC string; null when {@code millis} is 0 (never). */
    public JsonObject putTime(String key, long millis) {
        return put(key, millis == 0 ? null : Instant.ofEpochMilli(millis).toString());
    }

    /** A number, or null when {@code present} is false. */
    public JsonObject putOrNull(String key, boolean present, long value) {
        key(key);
        if (present) {
            b.append(value);
        } else {
            b.append("null");
        }
        return this;
    }

    public JsonObject put(String key, JsonObject value) {
        key(key).append(value);
        return this;
    }

    public JsonObject put(String key, Iterable<JsonObject> values) {
        key(key).append('[');
        String separator = "";
        for (JsonObject value : values) {
            b.append(separator).append(value);
            separator = ",";
        }
        b.append(']');
        return this;
    }

    /** An array of strings. */
    public JsonObject putStrings(String key, Iterable<String> values) {
        key(key).append('[');
        String separator = "";
        for (String value : values) {
            b.append(separator);
            quote(b, value);
            separator = ",";
        }
        b.append(']');
        return this;
    }

    public JsonObject put(String key, boolean value) {
        key(key).append(value);
        return this;
    }

    /** A value already written as JSON. */
    public JsonObject raw(String key, String json) {
        key(key).append(json);
        return this;
    }

    /** A top-level JSON array of objects. */
    public static String array(Iterable<JsonObject> items) {
        StringBuilder out = new StringBuilder("[");
        for (JsonObject item : items) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(item);
        }
        return out.append(']').toString();
    }

    private StringBuilder key(String key) {
        if (b.length() > 1) {
            b.append(',');
        }
        quote(b, key);
        return b.append(':');
    }

    @Override
    public String toString() {
        return b + "}";
    }

    /** RFC 8259 string: quote, backslash and control characters escaped; the rest as is (UTF-8 on the wire). */
    public static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
