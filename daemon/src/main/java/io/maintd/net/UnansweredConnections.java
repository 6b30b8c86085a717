package io.maintd.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the connections a listener accepted that have not had a byte of answer yet, so a drain
 * can wait for them as it waits for requests in flight.
 *
 * <p>Why a drain needs it: a request is "in flight" only once its head has been decoded, but the
 * listener accepts a connection as soon as the kernel completed its handshake, and the client's
 * request may arrive a moment later (one scheduling hiccup of the client, one network round trip).
 * Under socket activation the accept queue belongs to systemd and is shared with the next
 * process: a connection the stopping process took from it is the stopping process's to answer.
 * Closed unanswered, the client sees "connection closed with no answer" for a request nobody
 * refused; this is the one request lost in a {@code systemctl restart} under load.
 *
 * <p>It sits on the listening channel after {@link ConnectionCap}, where every accepted connection
 * passes before it is registered with an event loop: a drain that waited for the listener to close
 * therefore sees every connection it accepted counted. Each connection gets a small handler at the
 * head of its pipeline that leaves the count, and the pipeline, once the first write of an answer
 * reached the socket (or the connection closed): from then on the request path pays nothing, and
 * later requests on a keep-alive connection are the in-flight count's business. A connection that
 * never sends a byte leaves when the request head deadline ({@code limits.header-timeout}) closes it.
 */
@ChannelHandler.Sharable
public final class UnansweredConnections extends ChannelInboundHandlerAdapter {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel accepted = (Channel) msg;
        count.incrementAndGet();
        Watch watch = new Watch();
        // Not registered yet: the handler is added now and sees the connection from its first event.
        accepted.pipeline().addFirst(watch);
        accepted.closeFuture().addListener(closed -> watch.settle());
        ctx.fireChannelRead(accepted);
    }

    /** Connections accepted and still open that have not had the first write of an answer reach the socket. */
    public int count() {
        return count.get();
    }

    /** One connection's membership in the count, left once. */
    private final class Watch extends ChannelDuplexHandler {
        private final AtomicBoolean settled = new AtomicBoolean();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ChannelPromise written = promise.unvoid();
            written.addListener(done -> {
                if (((ChannelFuture) done).isSuccess()) {
                    settle();
                    if (ctx.pipeline().context(this) != null) {
                        ctx.pipeline().remove(this);
                    }
                }
            });
            ctx.write(msg, written);
        }

        /** Called on the first answer written or at close, whichever comes first; counts once. */
        void settle() {
            if (settled.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        }
    }
}
