package io.maintd.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * Where the parts of one HTTP/1.1 message head lie in the buffer it arrived in, as
 * {@link HeadParser} found them: the three parts of the start line, then each header field's
 * name and value (the value without the whitespace around it). Offsets are absolute buffer
 * indexes; nothing is copied, so forwarding the head means writing those bytes back out with
 * only the edits a proxy must make, and a rule reads a header value where it lies.
 *
 * <p>One instance serves one connection and is reused for every head on it: parsing a head
 * allocates nothing once the offset array has grown to the connection's largest head.
 */
public final class HeadIndex {
    /** Four offsets per field: name start, name end, value start, value end. */
    private int[] fields = new int[4 * 16];
    private int count;
    private int start;
    private int end;
    private final int[] line = new int[6];
    private int version;
    private int status;

    void reset(int startLine) {
        count = 0;
        start = startLine;
        end = 0;
        version = 0;
        status = 0;
    }

    void startLine(int aStart, int aEnd, int bStart, int bEnd, int cStart, int cEnd) {
        line[0] = aStart;
        line[1] = aEnd;
        line[2] = bStart;
        line[3] = bEnd;
        line[4] = cStart;
        line[5] = cEnd;
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
        fields[at] = nameStart;
        fields[at + 1] = nameEnd;
        fields[at + 2] = valueStart;
        fields[at + 3] = valueEnd;
    }

    void end(int afterBlankLine) {
        end = afterBlankLine;
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
    public boolean nameIs(ByteBuf buf, int field, AsciiString lowerName) {
        return bytesAre(buf, nameStart(field), nameEnd(field), lowerName);
    }

    /** The first field named {@code lowerName} at or after {@code from}, or -1. */
    public int find(ByteBuf buf, AsciiString lowerName, int from) {
        for (int i = from; i < count; i++) {
            if (nameIs(buf, i, lowerName)) {
                return i;
            }
        }
        return -1;
    }

    /** True when the field's value is {@code lowerValue}, compared without regard to ASCII case. */
    public boolean valueIs(ByteBuf buf, int field, AsciiString lowerValue) {
        return bytesAre(buf, valueStart(field), valueEnd(field), lowerValue);
    }

    /** The field's value as a String, for the rare reader that needs one (a log line, a rule's regex). */
    public String value(ByteBuf buf, int field) {
        return buf.toString(valueStart(field), valueEnd(field) - valueStart(field), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** True when the bytes from {@code from} to {@code to} are {@code lower}, compared without regard to ASCII case. */
    static boolean bytesAre(ByteBuf buf, int from, int to, AsciiString lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if (lower(buf.getByte(from + i)) != lower.byteAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True when two non-empty runs of the buffer are the same text without regard to ASCII case. */
    static boolean sameIgnoringCase(ByteBuf buf, int aFrom, int aTo, int bFrom, int bTo) {
        if (aTo - aFrom != bTo - bFrom || aTo == aFrom) {
            return false;
        }
        for (int i = 0; i < aTo - aFrom; i++) {
            if (lower(buf.getByte(aFrom + i)) != lower(buf.getByte(bFrom + i))) {
                return false;
            }
        }
        return true;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b | 0x20) : b;
    }
}
