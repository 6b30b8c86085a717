package io.maintd.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Hands decoded messages on one per {@code read()}. With auto-read off, the handlers after it
 * decide exactly when the next body chunk or the next pipelined request arrives; what the
 * codec decoded ahead waits here (at most one socket read's worth).
 *
 * <p>Netty's {@code FlowControlHandler} does the same but forgets outstanding reads at the end
 * of every socket read, which loses the read a handler asks for while finishing a response
 * inside that read. Here a read stays owed until a message satisfies it.
 *
 * <p>The server codec refuses to hold more than {@value #PIPELINE_DEPTH} decoded requests
 * whose responses have not been written (Netty's memory bound against a client that pipelines
 * without reading). One socket read of many small pipelined requests can exceed it; the codec
 * then throws and stops decoding for good. The requests decoded ahead are dropped here, so
 * none of them reaches a backend without being answered; {@link RequestRouter} lets the
 * request in progress finish and closes.
 */
final class OneMessagePerRead extends ChannelDuplexHandler {
    /** Netty's {@code HttpServerCodec} default, which the proxy's codec uses. */
    static final int PIPELINE_DEPTH = 128;

    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private int owed;
    private boolean delivering;

    @Override
    public void read(ChannelHandlerContext ctx) {
        owed++;
        if (!delivering) {
            deliver(ctx);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        queue.add(msg);
        if (!delivering) {
            deliver(ctx);
        }
    }

    /** Reads that arrive while delivering are served by this loop rather than by recursion. */
    private void deliver(ChannelHandlerContext ctx) {
        delivering = true;
        try {
            while (owed > 0 && !queue.isEmpty()) {
                owed--;
                ctx.fireChannelRead(queue.poll());
            }
        } finally {
            delivering = false;
        }
        if (owed > 0 && ctx.channel().isActive()) {
            ctx.read();
        }
    }

    /** True for the server codec's refusal to decode beyond {@link #PIPELINE_DEPTH} unanswered requests. */
    static boolean isPipelineOverflow(Throwable cause) {
        return cause instanceof DecoderException && cause.getCause() instanceof IllegalStateException state
                && state.getMessage() != null && state.getMessage().startsWith("maxPipelineDepth");
    }

    /** Drops the requests decoded ahead (the body of the one in progress stays queued for it). */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (isPipelineOverflow(cause)) {
            boolean ahead = false;
            for (Iterator<Object> it = queue.iterator(); it.hasNext(); ) {
                Object msg = it.next();
                ahead |= msg instanceof HttpRequest;
                if (ahead) {
                    ReferenceCountUtil.release(msg);
                    it.remove();
                }
            }
        }
        ctx.fireExceptionCaught(cause);
    }

    /** When a protocol switch removes this handler, what was decoded ahead moves on. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        Object msg;
        while ((msg = queue.poll()) != null) {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Object msg;
        while ((msg = queue.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        ctx.fireChannelInactive();
    }
}
