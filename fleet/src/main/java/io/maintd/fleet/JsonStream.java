package io.maintd.fleet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a byte stream of concatenated JSON objects into one text per object, as etcd's gateway
 * streams a watch: one object per message, however the bytes are chunked on the wire. Only the
 * structure is tracked (braces and brackets outside strings, string quotes and escapes); each
 * complete object is then parsed strictly by {@link JsonReader}. Multi-byte UTF-8 sequences
 * never contain an ASCII byte, so scanning bytes is safe.
 *
 * <p>A message larger than {@code maxMessageBytes}, anything but an object at the top level, or
 * bytes that are not UTF-8 fail the stream: the caller drops the connection and resyncs.
 */
public final class JsonStream {
    private final int maxMessageBytes;
    private byte[] pending = new byte[256];
    private int length;
    private int depth;
    private boolean inString;
    private boolean escaped;

    public JsonStream(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Feeds the next bytes; returns the objects they completed, in order. */
    public List<String> feed(ByteBuffer bytes) {
        List<String> complete = new ArrayList<>(1);
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (length == 0 && depth == 0 && isWhitespace(b)) {
                continue;
            }
            if (length == 0 && b != '{') {
                throw new MalformedJsonException("stream: expected '{' to start a message, found byte 0x"
                        + Integer.toHexString(b & 0xff));
            }
            append(b);
            if (track(b)) {
                complete.add(decode());
                length = 0;
            }
        }
        return complete;
    }

    /** True while part of a message is buffered: a stream that ends now ended mid-message. */
    public boolean midMessage() {
        return length > 0;
    }

    private void append(byte b) {
        if (length == maxMessageBytes) {
            throw new MalformedJsonException("stream: a message exceeds " + maxMessageBytes + " bytes");
        }
        if (length == pending.length) {
            pending = Arrays.copyOf(pending, Math.min(maxMessageBytes, pending.length * 2));
        }
        pending[length++] = b;
    }

    /** Classifies one byte; true when it closed the top-level object. */
    private boolean track(byte b) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '"') {
                inString = false;
            }
            return false;
        }
        switch (b) {
            case '"':
                inString = true;
                return false;
            case '{':
            case '[':
                if (++depth > JsonReader.MAX_DEPTH) {
                    throw new MalformedJsonException("stream: nested deeper than " + JsonReader.MAX_DEPTH + " levels");
                }
                return false;
            case '}':
            case ']':
                return --depth == 0;
            default:
                return false;
        }
    }

    private String decode() {
        return Utf8.strict(ByteBuffer.wrap(pending, 0, length));
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
