package io.maintd.proxy.http;

import io.netty.buffer.ByteBuf;

/**
 * Parses an HTTP/1.1 request or response head strictly by RFC 9112 into a {@link HeadIndex},
 * from one bulk copy of the head's bytes. Stricter than Netty's decoder where the RFC lets a
 * recipient choose, because a proxy that reads a head one way while the server behind it reads
 * it another is how requests get smuggled:
 * <ul>
 *   <li>lines end in CRLF only: a bare LF or a CR not followed by LF is malformed (section 2.2);</li>
 *   <li>the start line has exactly one SP between its parts (section 3);</li>
 *   <li>a field name is a token followed at once by {@code :} (no whitespace before it, section
 *       5.1); a value has no control characters but HTAB (section 5.5);</li>
 *   <li>obs-fold (a line starting with SP or HTAB) is refused, not unfolded (section 5.2);</li>
 *   <li>any number of empty lines before a request line are skipped (section 2.2).</li>
 * </ul>
 * Limits are checked as the bytes arrive: a start line longer than {@code maxLine} bytes (its
 * CRLF not counted) is {@link Outcome#LINE_TOO_LONG}, header lines longer than
 * {@code maxFields} bytes together (CRLFs counted) are {@link Outcome#HEADERS_TOO_LARGE}, both
 * without waiting for the end of a line.
 */
public final class HeadParser {
    /** What parsing the readable bytes found. */
    public enum Outcome {
        /** The head is complete; the index describes it. */
        COMPLETE,
        /** No error so far; more bytes are needed. */
        INCOMPLETE,
        MALFORMED,
        /** The request target has a byte no target form allows: a control, DEL or a byte above 0x7e. */
        BAD_TARGET,
        LINE_TOO_LONG,
        HEADERS_TOO_LARGE,
        /** A well-formed version other than HTTP/1.0 and HTTP/1.1 (505). */
        VERSION_NOT_SUPPORTED
    }

    private static final boolean[] TCHAR = new boolean[256];
    /** field-vchar, SP and HTAB: what may appear inside a field value (RFC 9110 section 5.5). */
    private static final boolean[] VALUE = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        for (int c = 0x20; c < 256; c++) {
            VALUE[c] = c != 0x7f;
        }
        VALUE['\t'] = true;
    }

    private final int maxLine;
    private final int maxFields;

    public HeadParser(int maxLine, int maxFields) {
        this.maxLine = maxLine;
        this.maxFields = maxFields;
    }

    /** Parses the request head starting at the buffer's reader index. */
    public Outcome parseRequest(ByteBuf buf, HeadIndex index) {
        byte[] bytes = index.load(buf, 2 * maxLine + maxFields + 4);
        int from = 0;
        int limit = index.loaded();
        // Empty lines before the request line, as a client may send after a body (section 2.2).
        while (from + 1 < limit && bytes[from] == '\r' && bytes[from + 1] == '\n') {
            from += 2;
            if (from > maxLine) {
                return Outcome.LINE_TOO_LONG;
            }
        }
        index.reset(from);
        int lineEnd = lineEnd(bytes, from, limit, maxLine);
        if (lineEnd < 0) {
            return failed(lineEnd, Outcome.LINE_TOO_LONG);
        }
        int method = tokenEnd(bytes, from, lineEnd);
        if (method == from || method == lineEnd || bytes[method] != ' ') {
            return Outcome.MALFORMED;
        }
        int target = method + 1;
        while (target < lineEnd && isTargetByte(bytes[target])) {
            target++;
        }
        if (target < lineEnd && bytes[target] != ' ') {
            return Outcome.BAD_TARGET;
        }
        if (target == method + 1 || target == lineEnd) {
            return Outcome.MALFORMED;
        }
        int version = versionOf(bytes, target + 1, lineEnd);
        if (version < 0) {
            return version == UNSUPPORTED ? Outcome.VERSION_NOT_SUPPORTED : Outcome.MALFORMED;
        }
        index.startLine(from, method, method + 1, target, target + 1, lineEnd);
        index.version(version);
        return parseFields(bytes, lineEnd + 2, limit, index);
    }

    /** Parses the response head starting at the buffer's reader index. */
    public Outcome parseResponse(ByteBuf buf, HeadIndex index) {
        byte[] bytes = index.load(buf, maxLine + maxFields + 4);
        int from = 0;
        int limit = index.loaded();
        index.reset(from);
        int lineEnd = lineEnd(bytes, from, limit, maxLine);
        if (lineEnd < 0) {
            return failed(lineEnd, Outcome.LINE_TOO_LONG);
        }
        // HTTP-version SP 3DIGIT [SP reason-phrase]; the reason may be absent entirely, as Netty allows.
        if (lineEnd - from < 12 || bytes[from + 8] != ' ') {
            return Outcome.MALFORMED;
        }
        int version = versionOf(bytes, from, from + 8);
        if (version < 0) {
            return Outcome.MALFORMED;
        }
        int code = 0;
        for (int i = from + 9; i < from + 12; i++) {
            byte b = bytes[i];
            if (b < '0' || b > '9') {
                return Outcome.MALFORMED;
            }
            code = code * 10 + b - '0';
        }
        if (code < 100 || (lineEnd > from + 12 && bytes[from + 12] != ' ')) {
            return Outcome.MALFORMED;
        }
        int reason = Math.min(from + 13, lineEnd);
        for (int i = reason; i < lineEnd; i++) {
            if (!VALUE[bytes[i] & 0xff]) {
                return Outcome.MALFORMED;
            }
        }
        index.startLine(from, from + 8, from + 9, from + 12, reason, lineEnd);
        index.version(version);
        index.status(code);
        return parseFields(bytes, lineEnd + 2, limit, index);
    }

    private Outcome parseFields(byte[] bytes, int from, int limit, HeadIndex index) {
        int fieldsEnd = from + maxFields;
        int at = from;
        while (true) {
            int lineEnd = lineEnd(bytes, at, limit, fieldsEnd - at - 2);
            if (lineEnd < 0) {
                return failed(lineEnd, Outcome.HEADERS_TOO_LARGE);
            }
            if (lineEnd == at) {
                index.end(at + 2);
                return Outcome.COMPLETE;
            }
            int name = colon(bytes, at, lineEnd);
            if (name < 0) {
                return Outcome.MALFORMED;
            }
            int valueStart = name + 1;
            while (valueStart < lineEnd && isWhitespace(bytes[valueStart])) {
                valueStart++;
            }
            int valueEnd = lineEnd;
            while (valueEnd > valueStart && isWhitespace(bytes[valueEnd - 1])) {
                valueEnd--;
            }
            if (!isValue(bytes, valueStart, valueEnd)) {
                return Outcome.MALFORMED;
            }
            index.addField(at, name, valueStart, valueEnd);
            at = lineEnd + 2;
        }
    }

    /** True for one field line without its CRLF: a trailer field has a head field's grammar. */
    static boolean isFieldLine(byte[] bytes, int from, int to) {
        int name = colon(bytes, from, to);
        return name >= 0 && isValue(bytes, name + 1, to);
    }

    /** A tchar of RFC 9110 section 5.6.2: what method, field names and chunk-extension names are made of. */
    static boolean isTokenByte(byte b) {
        return TCHAR[b & 0xff];
    }

    /** The index after the token starting at {@code from} (that index itself when there is none). */
    static int tokenEnd(byte[] bytes, int from, int to) {
        int at = from;
        while (at < to && isTokenByte(bytes[at])) {
            at++;
        }
        return at;
    }

    /**
     * The index of the colon after a field name at {@code from}, or -1: no name (which also
     * refuses obs-fold, a line starting with SP or HTAB) or anything but ':' right after it
     * (whitespace before the colon, section 5.1).
     */
    private static int colon(byte[] bytes, int from, int lineEnd) {
        int name = tokenEnd(bytes, from, lineEnd);
        return name == from || name == lineEnd || bytes[name] != ':' ? -1 : name;
    }

    /** Field-vchar, SP and HTAB only: no NUL, CR, LF or other controls inside a value. */
    private static boolean isValue(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!VALUE[bytes[i] & 0xff]) {
                return false;
            }
        }
        return true;
    }

    private static final int INCOMPLETE = -1;
    private static final int TOO_LONG = -2;
    private static final int BAD_LINE_END = -3;
    private static final int UNSUPPORTED = -4;

    /**
     * Index of the CR of the CRLF ending the line that starts at {@code from}; or INCOMPLETE,
     * TOO_LONG (more than {@code max} bytes before it), or BAD_LINE_END for a bare LF or CR.
     */
    private static int lineEnd(byte[] bytes, int from, int limit, int max) {
        int stop = Math.min(limit, from + Math.max(max, 0) + 1);
        for (int i = from; i < stop; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                return BAD_LINE_END;
            }
            if (b == '\r') {
                if (i + 1 == limit) {
                    return INCOMPLETE;
                }
                return bytes[i + 1] == '\n' ? i : BAD_LINE_END;
            }
        }
        return stop < limit || stop - from > max ? TOO_LONG : INCOMPLETE;
    }

    /** What a line that did not end well means: {@code tooLong} is the start line's or the fields' limit. */
    private static Outcome failed(int lineEnd, Outcome tooLong) {
        return lineEnd == INCOMPLETE ? Outcome.INCOMPLETE : lineEnd == TOO_LONG ? tooLong : Outcome.MALFORMED;
    }

    /** 10 or 11 for exactly {@code HTTP/1.0} or {@code HTTP/1.1}; UNSUPPORTED for another {@code HTTP/d.d}; else -1. */
    private static int versionOf(byte[] bytes, int from, int to) {
        if (to - from != 8 || bytes[from] != 'H' || bytes[from + 1] != 'T' || bytes[from + 2] != 'T'
                || bytes[from + 3] != 'P' || bytes[from + 4] != '/' || bytes[from + 6] != '.') {
            return -1;
        }
        byte major = bytes[from + 5];
        byte minor = bytes[from + 7];
        if (major < '0' || major > '9' || minor < '0' || minor > '9') {
            return -1;
        }
        if (major == '1' && (minor == '0' || minor == '1')) {
            return 10 + minor - '0';
        }
        return UNSUPPORTED;
    }

    /** Visible ASCII: controls, SP, DEL and bytes above 0x7e are not in any request-target form. */
    private static boolean isTargetByte(byte b) {
        return b > 0x20 && b < 0x7f;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }
}
