package io.maintd.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader for the two kinds of JSON maintd reads: etcd's v3 gateway responses
 * and the fleet's own values (which arrive from etcd, so from anyone who may write there).
 * Objects become {@link JsonFields}, arrays {@code List<Object>}, strings {@code String}, numbers
 * {@code Long}, {@code true}/{@code false} {@code Boolean}, {@code null} Java null.
 *
 * <p>Stricter than the RFC where being lenient would only hide mistakes: numbers must be 64-bit
 * integers (nothing maintd reads has fractions), an object may not repeat a key (which of two
 * values would win differs between parsers), a string may not hold a lone surrogate, and nesting
 * stops at {@link #MAX_DEPTH}. Callers bound the text's length before parsing. Every error names
 * the character offset.
 */
public final class JsonReader {
    /** etcd's deepest response (a txn holding ranges) nests six levels; values nest two. */
    public static final int MAX_DEPTH = 32;

    private final String text;
    private int pos;
    private int depth;

    private JsonReader(String text) {
        this.text = text;
    }

    /** The single value {@code text} holds; whitespace may surround it, nothing else may. */
    public static Object parse(String text) {
        JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        Object value = reader.value();
        reader.skipWhitespace();
        if (reader.pos != text.length()) {
            throw reader.error("unexpected '" + text.charAt(reader.pos) + "' after the value");
        }
        return value;
    }

    /** {@link #parse}, requiring an object. */
    public static JsonFields parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof JsonFields fields)) {
            throw new MalformedJsonException("expected a JSON object, found " + JsonFields.describe(value));
        }
        return fields;
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected '" + printable(c) + "'");
        }
    }

    private JsonFields object() {
        enter();
        pos++;
        Map<String, Object> fields = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return new JsonFields(fields);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value();
            if (fields.containsKey(key)) {
                throw new MalformedJsonException("duplicate key \"" + key + "\" at offset " + keyAt);
            }
            fields.put(key, value);
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                depth--;
                return new JsonFields(fields);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array() {
        enter();
        pos++;
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return items;
        }
        while (true) {
            skipWhitespace();
            items.add(value());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                depth--;
                return items;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String string() {
        pos++;
        StringBuilder b = null;
        int start = pos;
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = b == null ? text.substring(start, pos) : b.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("control character " + printable(c) + " in a string (escape it)");
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && pos + 1 < text.length() && Character.isLowSurrogate(text.charAt(pos + 1))) {
                    pos += 2;
                    continue;
                }
                throw error("lone surrogate in a string");
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (b == null) {
                b = new StringBuilder();
            }
            b.append(text, start, pos);
            pos++;
            b.append(escape());
            start = pos;
        }
    }

    private String escape() {
        if (pos >= text.length()) {
            throw error("unterminated escape");
        }
        char c = text.charAt(pos++);
        switch (c) {
            case '"':
                return "\"";
            case '\\':
                return "\\";
            case '/':
                return "/";
            case 'b':
                return "\b";
            case 'f':
                return "\f";
            case 'n':
                return "\n";
            case 'r':
                return "\r";
            case 't':
                return "\t";
            case 'u':
                char unit = hex4();
                if (Character.isHighSurrogate(unit)) {
                    if (text.startsWith("\\u", pos)) {
                        pos += 2;
                        char low = hex4();
                        if (Character.isLowSurrogate(low)) {
                            return new String(new char[] {unit, low});
                        }
                    }
                    throw error("\\u escape of a high surrogate without its low surrogate");
                }
                if (Character.isLowSurrogate(unit)) {
                    throw error("\\u escape of a lone low surrogate");
                }
                return String.valueOf(unit);
            default:
                pos--;
                throw error("invalid escape '\\" + printable(c) + "'");
        }
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos), 16);
            if (d < 0 || text.charAt(pos) > 'f') {
                throw error("invalid hex digit in \\u escape");
            }
            v = v * 16 + d;
            pos++;
        }
        return (char) v;
    }

    private Long number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (pos >= text.length() || !isDigit(text.charAt(pos))) {
            throw error("expected a digit");
        }
        if (text.charAt(pos) == '0' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1))) {
            throw error("leading zero in a number");
        }
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            throw new MalformedJsonException("number at offset " + start + " is not an integer");
        }
        try {
            return Long.parseLong(text, start, pos, 10);
        } catch (NumberFormatException e) {
            throw new MalformedJsonException("number at offset " + start + " does not fit in 64 bits");
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected '" + printable(text.charAt(pos)) + "'");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    /** The character at the position, or NUL at the end (which no rule accepts). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    private MalformedJsonException error(String problem) {
        return new MalformedJsonException(pos >= text.length() ? problem + " at the end (offset " + pos + ")"
                : problem + " at offset " + pos);
    }
}
