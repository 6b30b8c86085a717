package io.maintd.proxy.http;

import io.netty.buffer.ByteBuf;

/**
 * Reads a chunked body's framing strictly by RFC 9112 section 7.1 as its bytes stream in, one
 * element at a time (a size line, a run of chunk data, the CRLF after the data, a trailer
 * line), so the proxy forwards the body as it came and knows where it ends without
 * re-chunking it. Refused, because two parsers could read them two ways:
 * <ul>
 *   <li>a size that is not 1 to {@value #MAX_SIZE_DIGITS} hex digits (Netty's decoder takes any
 *       length and overflows silently past 16);</li>
 *   <li>a chunk extension outside {@code *( BWS ";" BWS token [ BWS "=" BWS ( token /
 *       quoted-string ) ] )} (section 7.1.1), whitespace after the size without one;</li>
 *   <li>any line end but CRLF, chunk data not followed by CRLF;</li>
 *   <li>a trailer line that is not a field line ({@link HeadParser#isFieldLine}).</li>
 * </ul>
 * A size line longer than {@code maxLine} bytes and a trailer section longer than
 * {@code maxTrailer} bytes are refused as soon as that many bytes have come without their end.
 */
public final class ChunkedBody {
    /** 15 hex digits are 2^60 - 1 bytes: no overflow, and a real size never needs more. */
    static final int MAX_SIZE_DIGITS = 15;

    /** {@link #next} found bytes that break the grammar. */
    public static final int MALFORMED = -1;

    private enum State { SIZE, DATA, DATA_END, TRAILER, DONE }

    private final int maxLine;
    private final int maxTrailer;
    private byte[] line = new byte[256];
    private State state = State.SIZE;
    private long remaining;
    private int trailerBytes;
    private boolean data;

    public ChunkedBody(int maxLine, int maxTrailer) {
        this.maxLine = maxLine;
        this.maxTrailer = maxTrailer;
    }

    /** Starts a new body. */
    public void reset() {
        state = State.SIZE;
        remaining = 0;
        trailerBytes = 0;
    }

    /** The empty line after the trailers has been read: the body is complete. */
    public boolean done() {
        return state == State.DONE;
    }

    /**
     * The last chunk's size line has been read and the trailers are not over: bytes from that
     * line on are held back until the body proves complete, so a client never gets a last chunk
     * the server did not finish.
     */
    public boolean inTrailers() {
        return state == State.TRAILER;
    }

    /** The next element is a size line (or the body is done): what was read so far is whole chunks. */
    public boolean atChunkBoundary() {
        return state == State.SIZE || state == State.DONE;
    }

    /** The element {@link #next} last read was chunk data (the payload), not framing. */
    public boolean wasData() {
        return data;
    }

    /**
     * Reads the next element from {@code in}'s bytes at {@code from} (up to its writer index):
     * returns the index just past it, {@code from} when more bytes are needed to see it whole
     * (chunk data is taken as far as it has come), or {@link #MALFORMED}.
     */
    public int next(ByteBuf in, int from) {
        int to = in.writerIndex();
        data = false;
        switch (state) {
            case SIZE -> {
                int end = lineEnd(in, from, to, maxLine);
                if (end < 0) {
                    return end == NEED_MORE ? from : MALFORMED;
                }
                long size = sizeOf(in, from, end);
                if (size < 0) {
                    return MALFORMED;
                }
                remaining = size;
                state = size == 0 ? State.TRAILER : State.DATA;
                return end + 2;
            }
            case DATA -> {
                int run = (int) Math.min(remaining, to - from);
                remaining -= run;
                if (remaining == 0) {
                    state = State.DATA_END;
                }
                data = run > 0;
                return from + run;
            }
            case DATA_END -> {
                if (to - from < 2) {
                    return to > from && in.getByte(from) != '\r' ? MALFORMED : from;
                }
                if (in.getByte(from) != '\r' || in.getByte(from + 1) != '\n') {
                    return MALFORMED;
                }
                state = State.SIZE;
                return from + 2;
            }
            case TRAILER -> {
                int end = lineEnd(in, from, to, maxTrailer - trailerBytes);
                if (end < 0) {
                    return end == NEED_MORE ? from : MALFORMED;
                }
                if (end == from) {
                    state = State.DONE;
                    return end + 2;
                }
                if (!isTrailerField(in, from, end)) {
                    return MALFORMED;
                }
                trailerBytes += end + 2 - from;
                return end + 2;
            }
            default -> {
                return from;
            }
        }
    }

    private static final int NEED_MORE = -2;

    /**
     * Index of the CR of the CRLF ending the line at {@code from}; NEED_MORE while no more
     * than {@code max} bytes have come without it; MALFORMED for a bare LF, a CR not followed
     * by LF, or a line longer than {@code max}.
     */
    private static int lineEnd(ByteBuf in, int from, int to, int max) {
        int stop = Math.min(to, from + Math.max(max, 0) + 1);
        for (int i = from; i < stop; i++) {
            byte b = in.getByte(i);
            if (b == '\n') {
                return MALFORMED;
            }
            if (b == '\r') {
                if (i + 1 == to) {
                    return NEED_MORE;
                }
                return in.getByte(i + 1) == '\n' ? i : MALFORMED;
            }
        }
        return stop - from > max ? MALFORMED : NEED_MORE;
    }

    /** The chunk size of the line from {@code from} to {@code end}, its extensions checked; -1 if malformed. */
    private static long sizeOf(ByteBuf in, int from, int end) {
        long size = 0;
        int at = from;
        while (at < end && at - from < MAX_SIZE_DIGITS + 1) {
            int digit = Character.digit(in.getByte(at), 16);
            if (digit < 0) {
                break;
            }
            size = size << 4 | digit;
            at++;
        }
        if (at == from || at - from > MAX_SIZE_DIGITS) {
            return -1;
        }
        return extensionsEnd(in, at, end) == end ? size : -1;
    }

    /**
     * Where {@code *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )} starting at
     * {@code at} stops matching: {@code end} when the rest of the line is extensions.
     */
    private static int extensionsEnd(ByteBuf in, int at, int end) {
        while (at < end) {
            int semicolon = whitespaceEnd(in, at, end);
            if (semicolon == end || in.getByte(semicolon) != ';') {
                return at;
            }
            int name = whitespaceEnd(in, semicolon + 1, end);
            int nameEnd = tokenEnd(in, name, end);
            if (nameEnd == name) {
                return at;
            }
            at = nameEnd;
            int equals = whitespaceEnd(in, at, end);
            if (equals < end && in.getByte(equals) == '=') {
                int value = whitespaceEnd(in, equals + 1, end);
                int valueEnd = value < end && in.getByte(value) == '"' ? quotedStringEnd(in, value, end) : tokenEnd(in, value, end);
                if (valueEnd == value) {
                    return equals;
                }
                at = valueEnd;
            }
        }
        return at;
    }

    private static int whitespaceEnd(ByteBuf in, int at, int end) {
        while (at < end && (in.getByte(at) == ' ' || in.getByte(at) == '\t')) {
            at++;
        }
        return at;
    }

    private static int tokenEnd(ByteBuf in, int at, int end) {
        while (at < end && HeadParser.isTokenByte(in.getByte(at))) {
            at++;
        }
        return at;
    }

    /**
     * Index past the quoted-string opening at {@code at} (RFC 9110 section 5.6.4: qdtext is
     * HTAB, SP, visible ASCII but {@code "} and {@code \}, and obs-text; a quoted-pair escapes
     * HTAB, SP, visible ASCII or obs-text), or {@code at} when it does not close on the line.
     */
    private static int quotedStringEnd(ByteBuf in, int at, int end) {
        for (int i = at + 1; i < end; i++) {
            int b = in.getByte(i) & 0xff;
            if (b == '"') {
                return i + 1;
            }
            if (b == '\\') {
                i++;
                if (i == end || !isQuotable(in.getByte(i) & 0xff)) {
                    return at;
                }
            } else if (!isQuotable(b)) {
                return at;
            }
        }
        return at;
    }

    private static boolean isQuotable(int b) {
        return b == '\t' || (b >= 0x20 && b != 0x7f);
    }

    private boolean isTrailerField(ByteBuf in, int from, int end) {
        int length = end - from;
        if (line.length < length) {
            line = new byte[Math.max(length, 2 * line.length)];
        }
        in.getBytes(from, line, 0, length);
        return HeadParser.isFieldLine(line, 0, length);
    }
}
