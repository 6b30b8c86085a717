package io.maintd.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * The flow control {@link RequestDecoder} and {@link ResponseDecoder} share: received bytes are
 * kept, and decoded into one message per {@code read()} from the handlers after it. With
 * auto-read off, those handlers decide exactly when the next head or body piece arrives, and a
 * message is decoded only once the one before it was dealt with, so one {@link HeadIndex} per
 * connection serves every head on it. (Netty's {@code FlowControlHandler} queues what a codec
 * decoded ahead instead, and forgets outstanding reads at the end of each socket read; here a
 * read stays owed until a message satisfies it.) With auto-read on (tests, benchmarks) every
 * message is handed on as soon as it decodes.
 *
 * <p>Asking the socket for bytes and decoding them are apart: the socket is read when a
 * message is owed and the bytes kept do not make one, and also ahead of demand where a
 * decoder says so ({@link #readsAhead}), which saves switching the socket's read interest off
 * and on around every request.
 */
abstract class OnDemandDecoder extends ChannelDuplexHandler {
    /** Received bytes not handed on yet, or null. */
    ByteBuf buffered;
    private int owed;
    private boolean delivering;
    private boolean removed;
    /** Set while {@link #deliverAll} hands on what is kept whether or not it was asked for. */
    private boolean flushing;
    /** The peer closed its side (or a deadline ended the input for us): what the kept bytes make is all there is. */
    boolean inputShut;

    /** The next message the kept bytes make, or null when more bytes are needed (or nothing more will be decoded). */
    abstract Object next();

    /** False once nothing more will be decoded: received bytes are then dropped. */
    abstract boolean decoding();

    /** A message is owed but may not be decoded now (the client is not taking its answers). */
    boolean held(ChannelHandlerContext ctx) {
        return false;
    }

    /** The socket is read ahead of demand, the kept bytes being few enough. */
    boolean readsAhead() {
        return false;
    }

    @Override
    public final void read(ChannelHandlerContext ctx) {
        owed++;
        deliver(ctx);
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!decoding()) {
            bytes.release();
            return;
        }
        buffered = buffered == null ? bytes : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), buffered, bytes);
        deliver(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShut = true;
            deliver(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Reads that arrive while delivering are served by this loop rather than by recursion. */
    final void deliver(ChannelHandlerContext ctx) {
        if (delivering || removed) {
            return;
        }
        delivering = true;
        boolean held = false;
        try {
            boolean autoRead = ctx.channel().config().isAutoRead();
            while (!removed && (owed > 0 || autoRead || flushing)) {
                if (held(ctx)) {
                    held = true;
                    break;
                }
                Object msg = next();
                if (msg == null) {
                    break;
                }
                if (buffered != null && !buffered.isReadable()) {
                    // The messages handed on hold their own references; an empty buffer is not kept.
                    releaseBuffered();
                }
                if (owed > 0) {
                    owed--;
                }
                ctx.fireChannelRead(msg);
            }
        } finally {
            delivering = false;
        }
        if (!removed && decoding() && !inputShut && ctx.channel().isActive() && ((owed > 0 && !held) || readsAhead())) {
            ctx.read();
        }
    }

    /**
     * Hands on every message the kept bytes make, asked for or not: the connection closed, and
     * its pipeline is torn down right after, so a message left here would be lost. A server
     * that sends a whole response and closes at once gives the rest of the body over in one
     * read at the close, before a slow client has asked for it; dropping it cut the response
     * short. What goes on here is no more than the socket buffer the close emptied.
     */
    final void deliverAll(ChannelHandlerContext ctx) {
        flushing = true;
        try {
            deliver(ctx);
        } finally {
            flushing = false;
        }
    }

    /** Bytes kept and not handed on yet. */
    final int bufferedBytes() {
        return buffered == null ? 0 : buffered.readableBytes();
    }

    final void releaseBuffered() {
        if (buffered != null) {
            buffered.release();
            buffered = null;
        }
    }

    /** A protocol switch removes the decoder: what came after the head belongs to the tunnel. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        ByteBuf rest = buffered;
        buffered = null;
        if (rest != null && rest.isReadable()) {
            ctx.fireChannelRead(rest);
        } else {
            ReferenceCountUtil.release(rest);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseBuffered();
        ctx.fireChannelInactive();
    }
}
