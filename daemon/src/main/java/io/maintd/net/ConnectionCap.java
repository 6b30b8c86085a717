package io.maintd.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The most connections a listener keeps open at once. It sits on the listening channel
 * ({@code ServerBootstrap.handler}), where each accepted connection passes as a message before it
 * is registered with an event loop: one over the cap is closed right there (the client sees the
 * connection end before any byte), counted, and logged at most once a second. Counting at accept
 * rather than in the connection's own initializer matters in a flood: thousands of accepts can
 * happen before the first accepted connection is initialized on its loop.
 */
@ChannelHandler.Sharable
public final class ConnectionCap extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(ConnectionCap.class.getName());

    private final String listener;
    private final String setting;
    private final IntSupplier max;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder rejected = new LongAdder();
    private final ThrottledLog rejections = new ThrottledLog(LOG, System.Logger.Level.WARNING);

    /**
     * @param listener names the listener in logs and metrics ({@code http}, {@code admin}, {@code agent})
     * @param setting  what decides the cap, for the log line (a config key)
     * @param max      read at every accept, so a reload that changes the cap applies to the next connection
     */
    public ConnectionCap(String listener, String setting, IntSupplier max) {
        this.listener = listener;
        this.setting = setting;
        this.max = max;
    }

    /** A cap that never changes, for the admin and agent ports. */
    public static ConnectionCap fixed(String listener, int max) {
        return new ConnectionCap(listener, "the " + listener + " port's fixed cap", () -> max);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel accepted = (Channel) msg;
        int cap = max.getAsInt();
        if (open.incrementAndGet() > cap) {
            open.decrementAndGet();
            rejected.increment();
            Object from = accepted.remoteAddress();
            // Not registered with a loop yet: closeForcibly closes the socket without one.
            accepted.unsafe().closeForcibly();
            rejections.log(() -> "listener " + listener + ": " + cap + " connections open (" + setting
                    + "); closed a new one from " + from);
            return;
        }
        accepted.closeFuture().addListener(closed -> open.decrementAndGet());
        ctx.fireChannelRead(accepted);
    }

    public String listener() {
        return listener;
    }

    /** Connections closed at accept because the cap was reached, since start. */
    public long rejected() {
        return rejected.sum();
    }

    /** Connections accepted and not yet closed. */
    public int open() {
        return open.get();
    }
}
