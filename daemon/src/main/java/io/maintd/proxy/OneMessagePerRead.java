package io.maintd.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Hands decoded responses from an upstream connection on one per {@code read()} (the client
 * side does the same in {@link io.maintd.proxy.http.RequestDecoder}). With auto-read off, the handlers after it
 * decide exactly when the next body chunk or the next pipelined request arrives; what the
 * codec decoded ahead waits here (at most one socket read's worth).
 *
 * <p>Netty's {@code FlowControlHandler} does the same but forgets outstanding reads at the end
 * of every socket read, which loses the read a handler asks for while finishing a response
 * inside that read. Here a read stays owed until a message satisfies it.

 */
final class OneMessagePerRead extends ChannelDuplexHandler {
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
