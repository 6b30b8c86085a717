package io.maintd.proxy.http;

import io.netty.buffer.ByteBuf;

/**
 * Finds where a chunked body ends (RFC 9112 section 7.1) while its bytes stream through
 * unchanged: the proxy forwards chunk framing as it came instead of decoding and re-chunking,
 * so it must still read every size line, chunk end and trailer to know where the message stops
 * and the next one starts. Everything it lets through is checked, since the server behind reads
 * the same bytes:
 * <ul>
 *   <li>a chunk size is 1 to 15 hex digits (a size that would not fit 60 bits is refused rather
 *       than wrapped, the overflow request smuggling has used);</li>
 *   <li>chunk extensions follow the grammar ({@code ;name} or {@code ;name=token} or
 *       {@code ;name="quoted"}, with optional whitespace around {@code ;} and {@code =});</li>
 *   <li>every line ends in CRLF, and a chunk's data is followed by exactly CRLF;</li>
 *   <li>trailer fields are field lines like a head's ({@link HeadParser#isFieldLine}).</li>
 * </ul>
 * A size line longer than {@code maxLine} or a trailer section larger than {@code maxTrailer}
 * is refused like a malformed one.
 */
public final class ChunkedFraming {
    private enum State { SIZE, DATA, DATA_END, TRAILER, DONE, MALFORMED }

    private static final int MAX_SIZE_DIGITS = 15;

    private final int maxLine;
    private final int maxTrailer;
    private State state = State.SIZE;
    private long remaining;
    private int trailerBytes;
    private byte[] line = new byte[128];

    public ChunkedFraming(int maxLine, int maxTrailer) {
        this.maxLine = maxLine;
        this.maxTrailer = maxTrailer;
    }

    /** Starts a new body. */
    public void reset() {
        state = State.SIZE;
        remaining = 0;
        trailerBytes = 0;
    }

    /** The last call reached the end of the body. */
    public boolean done() {
        return state == State.DONE;
    }

    /** The body broke its framing; nothing after the bytes already accepted may be forwarded. */
    public boolean malformed() {
        return state == State.MALFORMED;
    }

    /**
     * Reads the readable bytes without consuming them and returns how many of them belong to the
     * body and are checked: whole size lines, data, chunk ends and trailer lines, up to the end
     * of the body at most. Fewer than are readable when a line is not complete yet, the body
     * ended ({@link #done}) or its framing broke ({@link #malformed}).
     */
    public int advance(ByteBuf buf) {
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        int at = start;
        while (at < end && state != State.DONE && state != State.MALFORMED) {
            switch (state) {
                case SIZE, TRAILER -> {
                    int next = line(buf, at, end);
                    if (next < 0) {
                        return at - start;
                    }
                    at = next;
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, end - at);
                    at += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DATA_END;
                    }
                }
                case DATA_END -> {
                    if (buf.getByte(at) != '\r' || (at + 1 < end && buf.getByte(at + 1) != '\n')) {
                        state = State.MALFORMED;
                    } else if (at + 1 == end) {
                        return at - start;
                    } else {
                        at += 2;
                        state = State.SIZE;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return at - start;
    }

    /** Reads one size or trailer line at {@code at}; the index after it, or -1 when it is not complete (or broke). */
    private int line(ByteBuf buf, int at, int end) {
        int limit = state == State.SIZE ? maxLine : maxTrailer - trailerBytes;
        int lf = buf.indexOf(at, Math.min(end, at + limit + 2), (byte) '\n');
        if (lf < 0) {
            if (end - at > limit + 1) {
                state = State.MALFORMED;
            }
            return -1;
        }
        int length = lf - at + 1;
        if (line.length < length) {
            line = new byte[Math.max(length, 2 * line.length)];
        }
        buf.getBytes(at, line, 0, length);
        if (length < 2 || line[length - 2] != '\r') {
            state = State.MALFORMED;
            return -1;
        }
        int content = length - 2;
        if (state == State.SIZE) {
            sizeLine(content);
        } else if (content == 0) {
            state = State.DONE;
        } else if (HeadParser.isFieldLine(line, 0, content)) {
            trailerBytes += length;
        } else {
            state = State.MALFORMED;
        }
        return state == State.MALFORMED ? -1 : lf + 1;
    }

    private void sizeLine(int length) {
        int i = 0;
        long size = 0;
        while (i < length && i <= MAX_SIZE_DIGITS && hex(line[i]) >= 0) {
            size = size << 4 | hex(line[i]);
            i++;
        }
        if (i == 0 || i > MAX_SIZE_DIGITS || !extensions(i, length)) {
            state = State.MALFORMED;
            return;
        }
        remaining = size;
        state = size == 0 ? State.TRAILER : State.DATA;
    }

    /** {@code *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )} to the end of the line. */
    private boolean extensions(int at, int end) {
        while (true) {
            at = skipWhitespace(at, end);
            if (at == end) {
                return true;
            }
            if (line[at] != ';') {
                return false;
            }
            at = skipWhitespace(at + 1, end);
            int name = HeadParser.tokenEnd(line, at, end);
            if (name == at) {
                return false;
            }
            at = skipWhitespace(name, end);
            if (at < end && line[at] == '=') {
                at = skipWhitespace(at + 1, end);
                int value = at < end && line[at] == '"' ? quotedEnd(at, end) : HeadParser.tokenEnd(line, at, end);
                if (value <= at) {
                    return false;
                }
                at = value;
            }
        }
    }

    /** The index after the quoted-string starting at {@code at}, or -1. */
    private int quotedEnd(int at, int end) {
        for (int i = at + 1; i < end; i++) {
            int c = line[i] & 0xff;
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i++;
                if (i == end || !(c(line[i]) == '\t' || c(line[i]) >= 0x20) || c(line[i]) == 0x7f) {
                    return -1;
                }
            } else if (!(c == '\t' || c >= 0x20) || c == 0x7f) {
                return -1;
            }
        }
        return -1;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int lower = b | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    private static int c(byte b) {
        return b & 0xff;
    }

    private int skipWhitespace(int at, int end) {
        while (at < end && (line[at] == ' ' || line[at] == '\t')) {
            at++;
        }
        return at;
    }
}
