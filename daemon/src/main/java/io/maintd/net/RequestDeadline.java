package io.maintd.net;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has not brought a complete request within a fixed time of opening or
 * of its last response. Bytes trickling in do not move the deadline, which is what an idle
 * timeout gets wrong against a slow client; between keep-alive requests it is the idle timeout
 * too. For the small ports (admin, agent), where one simple rule is enough; the proxy has
 * finer deadlines of its own.
 */
public final class RequestDeadline extends ChannelDuplexHandler {
    private final long nanos;
    /** Ends the wait when it arrives; null when nothing does and the connection simply lives {@link #nanos}. */
    private final Class<?> request;
    private ScheduledFuture<?> timer;

    private RequestDeadline(Duration within, Class<?> request) {
        this.nanos = within.toNanos();
        this.request = request;
    }

    /** Goes after the HTTP aggregator, where a request arrives whole, and the responses pass. */
    public static RequestDeadline forHttp(Duration within) {
        return new RequestDeadline(within, HttpRequest.class);
    }

    /** For a protocol without requests (the agent check): the connection is closed {@code within} after it opened. */
    public static RequestDeadline sinceOpen(Duration within) {
        return new RequestDeadline(within, null);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (request != null && request.isInstance(msg) && timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (request != null && msg instanceof LastHttpContent) {
            arm(ctx);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ctx.fireChannelInactive();
    }

    private void arm(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor().schedule((Runnable) ctx::close, nanos, TimeUnit.NANOSECONDS);
        }
    }
}
