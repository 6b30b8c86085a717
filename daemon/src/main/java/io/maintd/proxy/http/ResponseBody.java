package io.maintd.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A piece of a response body as it came from the server: for a chunked body its framing too
 * (size lines, CRLFs, trailers), unless the decoder was asked for the payload only.
 */
public final class ResponseBody extends DefaultByteBufHolder {
    private final long payloadBytes;
    private final boolean last;

    ResponseBody(ByteBuf bytes, long payloadBytes, boolean last) {
        super(bytes);
        this.payloadBytes = payloadBytes;
        this.last = last;
    }

    /** How many of the bytes are payload, which the access log counts. */
    public long payloadBytes() {
        return payloadBytes;
    }

    /** The body ends with this piece. */
    public boolean last() {
        return last;
    }
}
