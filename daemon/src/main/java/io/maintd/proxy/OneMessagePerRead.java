package io.maintd.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
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

    /**
     * The server closed, and what it sent before the close goes on first, all of it and whether
     * or not it was asked for: the pipeline is torn down right after this event, so a message
     * left here would be lost. A server that sends a whole response and closes at once does
     * this to every slow client (at the close the kernel hands over the rest of the body in one
     * read); dropping it cut the response short. The relay writes the rest to the client
     * connection as it comes, which holds no more than the socket buffer the close emptied.
     */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        delivering = true;
        try {
            Object msg;
            while ((msg = queue.poll()) != null) {
                ctx.fireChannelRead(msg);
            }
        } finally {
            delivering = false;
        }
        ctx.fireChannelInactive();
    }
}
