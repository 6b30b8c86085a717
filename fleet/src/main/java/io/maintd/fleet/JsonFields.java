package io.maintd.fleet;

import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A parsed JSON object with typed accessors. A field of the wrong type is an error naming the
 * field; an absent field is an error for the {@code required} accessors and the default for the
 * others. etcd's gateway writes int64 fields as strings ({@code "revision":"12"}) and leaves out
 * fields that hold their zero value, so {@link #int64} takes either form and defaults to 0.
 */
public final class JsonFields {
    private final Map<String, Object> fields;

    JsonFields(Map<String, Object> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    public boolean has(String name) {
        return fields.get(name) != null;
    }

    public Map<String, Object> asMap() {
        return fields;
    }

    public String string(String name) {
        Object v = required(name);
        if (!(v instanceof String s)) {
            throw wrongType(name, "a string", v);
        }
        return s;
    }

    public String string(String name, String dflt) {
        return has(name) ? string(name) : dflt;
    }

    /** A JSON integer. */
    public long integer(String name) {
        Object v = required(name);
        if (!(v instanceof Long n)) {
            throw wrongType(name, "an integer", v);
        }
        return n;
    }

    public long integer(String name, long dflt) {
        return has(name) ? integer(name) : dflt;
    }

    /** A protobuf int64 as the gateway writes it: a decimal string, or a number; 0 when absent. */
    public long int64(String name) {
        Object v = fields.get(name);
        if (v == null) {
            return 0;
        }
        if (v instanceof Long n) {
            return n;
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new MalformedJsonException("field \"" + name + "\" is \"" + Printable.of(s, 40) + "\", not a 64-bit integer");
            }
        }
        throw wrongType(name, "an integer", v);
    }

    public boolean bool(String name) {
        Object v = fields.get(name);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean b)) {
            throw wrongType(name, "true or false", v);
        }
        return b;
    }

    /** A protobuf bytes field: base64 text; empty when absent. */
    public byte[] bytes(String name) {
        Object v = fields.get(name);
        if (v == null) {
            return new byte[0];
        }
        if (!(v instanceof String s)) {
            throw wrongType(name, "base64 text", v);
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new MalformedJsonException("field \"" + name + "\" is not valid base64: " + e.getMessage());
        }
    }

    /** A nested object; an empty one when absent. */
    public JsonFields object(String name) {
        Object v = fields.get(name);
        if (v == null) {
            return new JsonFields(Map.of());
        }
        if (!(v instanceof JsonFields o)) {
            throw wrongType(name, "an object", v);
        }
        return o;
    }

    /** An array of objects; empty when absent. */
    public List<JsonFields> objects(String name) {
        return list(name, JsonFields.class, "an object");
    }

    /** An array of strings; empty when absent. */
    public List<String> strings(String name) {
        return list(name, String.class, "a string");
    }

    private <T> List<T> list(String name, Class<T> type, String what) {
        Object v = fields.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> items)) {
            throw wrongType(name, "an array", v);
        }
        for (Object item : items) {
            if (!type.isInstance(item)) {
                throw wrongType(name + "[]", what, item);
            }
        }
        @SuppressWarnings("unchecked")
        List<T> checked = (List<T>) items;
        return checked;
    }

    private Object required(String name) {
        Object v = fields.get(name);
        if (v == null) {
            throw new MalformedJsonException("field \"" + name + "\" is missing");
        }
        return v;
    }

    private static MalformedJsonException wrongType(String name, String expected, Object found) {
        return new MalformedJsonException("field \"" + name + "\" should be " + expected + ", found " + describe(found));
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "the string \"" + Printable.of(s, 40) + "\"";
        }
        if (value instanceof JsonFields) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        return value.toString();
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
