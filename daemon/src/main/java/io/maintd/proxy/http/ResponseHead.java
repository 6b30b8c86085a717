package io.maintd.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A response head as {@link ResponseDecoder} read it: the bytes it arrived in (from its status
 * line to the empty line after its fields), the index over them (offsets valid on
 * {@link #content()}), and how its body is delimited.
 */
public final class ResponseHead extends DefaultByteBufHolder {
    private final HeadIndex index;
    private final int status;
    private final long framing;

    ResponseHead(ByteBuf bytes, HeadIndex index, int status, long framing) {
        super(bytes);
        this.index = index;
        this.status = status;
        this.framing = framing;
    }

    /** The connection's index, which describes this head until the next message is asked for. */
    public HeadIndex index() {
        return index;
    }

    public int status() {
        return status;
    }

    /**
     * The body's length (0: no body follows), {@link BodyFraming#CHUNKED} or
     * {@link BodyFraming#UNTIL_CLOSE}.
     */
    public long framing() {
        return framing;
    }
}
