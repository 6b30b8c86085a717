package io.maintd.cli;

/**
 * A JSON object written field by field into one line. flagctl only emits flat objects and
 * arrays of them, so this is all the JSON it needs.
 */
final class Json {
    private final StringBuilder b = new StringBuilder("{");

    Json put(String key, String value) {
        key(key);
        if (value == null) {
            b.append("null");
        } else {
            quote(b, value);
        }
        return this;
    }

    Json put(String key, long value) {
        key(key).append(value);
        return this;
    }

    Json put(String key, boolean value) {
        key(key).append(value);
        return this;
    }

    /** A value already written as JSON (a nested object or array). */
    Json raw(String key, String json) {
        key(key).append(json);
        return this;
    }

    /** Adds a number, or null when {@code present} is false. */
    Json putOrNull(String key, boolean present, long value) {
        key(key);
        if (present) {
            b.append(value);
        } else {
            b.append("null");
        }
        return this;
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

    static String array(Iterable<Json> items) {
        StringBuilder out = new StringBuilder("[");
        for (Json item : items) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(item);
        }
        return out.append(']').toString();
    }

    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append("\\u00");
                        out.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
