package io.maintd.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * Where the parts of one HTTP/1.1 message head lie in the buffer it arrived in, as
 * {@link HeadParser} found them: the three parts of the start line, then each header field's
 * name and value (the value without the whitespace around it). Offsets are absolute buffer
 * indexes, so forwarding the head means writing those bytes back out with only the edits a
 * proxy must make, and a rule reads a header value without a String per header.
 *
 * <p>The parser reads a copy of the head's bytes, taken with one bulk copy into an array this
 * index keeps, rather than a {@code ByteBuf.getByte} per byte, which pays a bounds and
 * reference-count check each time (what that saves is in bench/RESULTS.md, "Head parser"). The
 * offsets still refer to the buffer. Forwarding copies from the array too ({@link #copy}): from
 * a heap array into a direct buffer is one memory copy, where a copy between two direct buffers
 * made an NIO view object for every field line (bench/RESULTS.md, issue 13, "Stop 20").
 *
 * <p>One instance serves one connection and is reused for every head on it: parsing a head
 * allocates nothing once its arrays have grown to the connection's largest head.
 */
public final class HeadIndex {
    private static final AsciiString CONNECTION = AsciiString.cached("connection");
    private static final AsciiString CLOSE = AsciiString.cached("close");
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    /** A copy of the buffer's bytes from {@link #base}, {@link #loaded} of them. */
    private byte[] bytes = new byte[1024];
    private int loaded;
    private int base;
    /** Four offsets per field: name start, name end, value start, value end. */
    private int[] fields = new int[4 * 16];
    private int count;
    private int start;
    private int end;
    private final int[] line = new int[6];
    private int version;
    private int status;

    /** Copies up to {@code max} readable bytes from the reader index, which parsing then reads. */
    byte[] load(ByteBuf buf, int max) {
        base = buf.readerIndex();
        loaded = Math.min(buf.readableBytes(), max);
        if (bytes.length < loaded) {
            bytes = new byte[Math.max(loaded, 2 * bytes.length)];
        }
        buf.getBytes(base, bytes, 0, loaded);
        return bytes;
    }

    int loaded() {
        return loaded;
    }

    void reset(int startLine) {
        count = 0;
        start = base + startLine;
        end = 0;
        version = 0;
        status = 0;
    }

    void startLine(int aStart, int aEnd, int bStart, int bEnd, int cStart, int cEnd) {
        line[0] = base + aStart;
        line[1] = base + aEnd;
        line[2] = base + bStart;
        line[3] = base + bEnd;
        line[4] = base + cStart;
        line[5] = base + cEnd;
    }

    void version(int tenths) {
        version = tenths;
    }

    void status(int code) {
        status = code;
    }

    void addField(int nameStart, int nameEnd, int valueStart, int valueEnd) {
        if (4 * count == fields.length) {
            fields = Arrays.copyOf(fields, fields.length * 2);
        }
        int at = 4 * count++;
        fields[at] = base + nameStart;
        fields[at + 1] = base + nameEnd;
        fields[at + 2] = base + valueStart;
        fields[at + 3] = base + valueEnd;
    }

    void end(int afterBlankLine) {
        end = base + afterBlankLine;
    }

    /** Index of the start line's first byte (after any empty lines before it). */
    public int start() {
        return start;
    }

    /** Index just past the empty line that ends the head: where the body begins. */
    public int end() {
        return end;
    }

    /** 10 for HTTP/1.0, 11 for HTTP/1.1. */
    public int version() {
        return version;
    }

    /** A response's status code; 0 for a request. */
    public int status() {
        return status;
    }

    /** A request's method, or a response's version: start and end index. */
    public int firstStart() {
        return line[0];
    }

    public int firstEnd() {
        return line[1];
    }

    /** A request's target, or a response's status code. */
    public int secondStart() {
        return line[2];
    }

    public int secondEnd() {
        return line[3];
    }

    /** A request's version, or a response's reason phrase (possibly empty). */
    public int thirdStart() {
        return line[4];
    }

    public int thirdEnd() {
        return line[5];
    }

    public int fieldCount() {
        return count;
    }

    public int nameStart(int field) {
        return fields[4 * field];
    }

    public int nameEnd(int field) {
        return fields[4 * field + 1];
    }

    public int valueStart(int field) {
        return fields[4 * field + 2];
    }

    public int valueEnd(int field) {
        return fields[4 * field + 3];
    }

    /** Index just past the field's line (its CRLF included): a field is dropped by skipping to here. */
    public int lineEnd(int field) {
        return field + 1 < count ? nameStart(field + 1) : end - 2;
    }

    /** True when field {@code field}'s name is {@code lowerName}, compared without regard to ASCII case. */
    public boolean nameIs(int field, AsciiString lowerName) {
        return regionIs(nameStart(field), nameEnd(field), lowerName);
    }

    /** The first field named {@code lowerName} at or after {@code from}, or -1. */
    public int find(AsciiString lowerName, int from) {
        for (int i = from; i < count; i++) {
            if (nameIs(i, lowerName)) {
                return i;
            }
        }
        return -1;
    }

    /** True when the field's value is {@code lowerValue}, compared without regard to ASCII case. */
    public boolean valueIs(int field, AsciiString lowerValue) {
        return regionIs(valueStart(field), valueEnd(field), lowerValue);
    }

    /**
     * RFC 9112 section 9.3, as Netty's {@code HttpUtil.isKeepAlive} reads it: the sender keeps
     * the connection after this message when no Connection field says {@code close}, and the
     * message is HTTP/1.1 or an HTTP/1.0 one that says {@code keep-alive}.
     */
    public boolean keepsAlive() {
        return !listContains(CONNECTION, CLOSE) && (version == 11 || listContains(CONNECTION, KEEP_ALIVE));
    }

    /**
     * True when a field named {@code lowerName} lists {@code lowerToken} among its
     * comma-separated values ({@code Connection: keep-alive, close}), without regard to ASCII
     * case or the whitespace around each value.
     */
    public boolean listContains(AsciiString lowerName, AsciiString lowerToken) {
        for (int field = find(lowerName, 0); field >= 0; field = find(lowerName, field + 1)) {
            if (lists(field, lowerToken, 0, 0)) {
                return true;
            }
        }
        return false;
    }

    /** The field's value as a String, for the rare reader that needs one (a log line, a rule's regex). */
    public String value(int field) {
        return text(valueStart(field), valueEnd(field));
    }

    /** The head's bytes from {@code from} to {@code to}, copied to {@code out}. */
    public void copy(int from, int to, ByteBuf out) {
        out.writeBytes(bytes, from - base, to - from);
    }

    /** The head's bytes from {@code from} to {@code to} as text, without copying them. */
    public AsciiString view(int from, int to) {
        return new AsciiString(bytes, from - base, to - from, false);
    }

    /** The head's bytes from {@code from} to {@code to} as a String (ISO-8859-1, one byte per char). */
    public String text(int from, int to) {
        return new String(bytes, from - base, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The byte at buffer index {@code at}, which must lie within the head. */
    public byte byteAt(int at) {
        return bytes[at - base];
    }

    /** True when the head's bytes from {@code from} to {@code to} are {@code lower}, without regard to ASCII case. */
    boolean regionIs(int from, int to, AsciiString lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if (lower(bytes[from - base + i]) != lower.byteAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True when the head's bytes from {@code from} to {@code to} are exactly {@code text}. */
    public boolean regionEquals(int from, int to, String text) {
        if (to - from != text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (bytes[from - base + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True when the field's comma-separated value lists the text this head has from {@code from} to {@code to}. */
    boolean listsRegion(int field, int from, int to) {
        return lists(field, null, from, to);
    }

    private boolean lists(int field, AsciiString lower, int from, int to) {
        int at = valueStart(field);
        int end = valueEnd(field);
        while (at < end) {
            int comma = at;
            while (comma < end && byteAt(comma) != ',') {
                comma++;
            }
            int first = at;
            int last = comma;
            while (first < last && isWhitespace(byteAt(first))) {
                first++;
            }
            while (last > first && isWhitespace(byteAt(last - 1))) {
                last--;
            }
            if (lower != null ? regionIs(first, last, lower) : sameIgnoringCase(first, last, from, to)) {
                return true;
            }
            at = comma + 1;
        }
        return false;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    /** True when two non-empty runs of the head are the same text without regard to ASCII case. */
    boolean sameIgnoringCase(int aFrom, int aTo, int bFrom, int bTo) {
        if (aTo - aFrom != bTo - bFrom || aTo == aFrom) {
            return false;
        }
        for (int i = 0; i < aTo - aFrom; i++) {
            if (lower(bytes[aFrom - base + i]) != lower(bytes[bFrom - base + i])) {
                return false;
            }
        }
        return true;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b | 0x20) : b;
    }
}
