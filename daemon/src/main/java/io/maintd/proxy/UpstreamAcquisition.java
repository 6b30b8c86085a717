package io.maintd.proxy;

import io.maintd.health.ServerHealth;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Finds an upstream connection for an exchange: picks a server of its backend, takes an idle
 * pooled connection or opens one, and retries once on another server (HAProxy's
 * {@code retries 1} with {@code redispatch}):
 * <ul>
 *   <li>a connection that could not be opened is retried for any method, since nothing was
 *       sent, but a refused one only when the backend has another address to go to;</li>
 *   <li>a reused keep-alive connection found closed before any response byte is retried, on a
 *       fresh connection, only for an idempotent request without a body
 *       ({@link #staleRetryable}).</li>
 * </ul>
 * A refused connection marks the server down at once; a connect timeout does not (the server may
 * only be slow).
 */
final class UpstreamAcquisition {
    /** How long a closing upstream connection gets to take the bytes flushed to it; see {@link #closeAfterFlushedBytes}. */
    private static final long ABORT_LINGER_MILLIS = 2_000;
    /** Where an acquisition ends: with a connection to send on, or with the status the client gets. */
    interface Outcome {
        void acquired(Channel channel, boolean fresh);

        void unavailable(HttpResponseStatus status);
    }

    private static final int MAX_ATTEMPTS = 2;

    private final UpstreamPool pool;
    private final Outcome outcome;
    /** The exchange being served, or null once it ended (a connect still in flight then goes to the pool). */
    private Exchange exchange;
    private BackendServers servers;
    private InetSocketAddress server;
    private int attempts;
    private boolean reused;

    UpstreamAcquisition(UpstreamPool pool, Outcome outcome) {
        this.pool = pool;
        this.outcome = outcome;
    }

    void start(Exchange routed, BackendServers backend) {
        exchange = routed;
        servers = backend;
        attempts = 0;
        connect(null, true);
    }

    /** The server of the current (or last) attempt, for log lines. */
    InetSocketAddress server() {
        return server;
    }

    /**
     * The reused connection closed before any response byte: was the request surely not processed
     * and safe to send again? Only if it had no body, was sent completely, and is idempotent.
     */
    boolean staleRetryable(boolean requestComplete, boolean bodyForwarded, String method) {
        return reused && requestComplete && !bodyForwarded && attempts < MAX_ATTEMPTS && isIdempotent(method);
    }

    /** Sends the request again on a fresh connection (never a pooled one, which may be as stale). */
    void retryStale() {
        connect(server, false);
    }

    /** Returns a connection to the pool when {@code reusable}, else closes it. */
    void giveBack(Channel channel, boolean reusable) {
        if (reusable && channel.isActive()) {
            pool.release(server, channel, exchange.serving().limits().upstreamMaxIdle());
        } else {
            closeAfterFlushedBytes(channel);
        }
    }

    /**
     * Closes {@code channel} once the bytes already flushed to it are sent, as epoll does by
     * itself (it writes them during the flush) and io_uring does not (it only submits them, and a
     * close cancels the send): an aborted request body reaches the server up to where it broke
     * on either transport. A server that reads nothing cannot keep the connection: it closes after
     * {@link #ABORT_LINGER_MILLIS} whatever is left.
     */
    private static void closeAfterFlushedBytes(Channel channel) {
        ChannelFuture flushed = channel.writeAndFlush(Unpooled.EMPTY_BUFFER);
        if (flushed.isDone()) {
            channel.close();
            return;
        }
        flushed.addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> channel.close(), ABORT_LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The exchange ended; a connect still in flight no longer serves it. */
    void forget() {
        exchange = null;
    }

    private void connect(InetSocketAddress avoid, boolean allowPooled) {
        ServerHealth picked = servers.pick(avoid);
        InetSocketAddress next = picked.address();
        attempts++;
        server = next;
        Channel pooled = allowPooled ? pool.acquire(next) : null;
        if (pooled != null) {
            reused = true;
            outcome.acquired(pooled, false);
            return;
        }
        reused = false;
        Exchange connecting = exchange;
        pool.connect(next, connecting.serving().limits()).addListener((ChannelFuture f) -> connected(connecting, picked, f));
    }

    private void connected(Exchange connecting, ServerHealth target, ChannelFuture future) {
        if (exchange != connecting) {
            // The client left while we were connecting; the fresh connection is still good.
            if (future.isSuccess()) {
                pool.release(target.address(), future.channel(), connecting.serving().limits().upstreamMaxIdle());
            }
            return;
        }
        if (future.isSuccess()) {
            outcome.acquired(future.channel(), true);
            return;
        }
        Throwable cause = future.cause();
        boolean refused = !(cause instanceof ConnectTimeoutException) && cause instanceof ConnectException;
        if (refused) {
            target.connectRefused(cause);
        }
        // Connecting again at once to the one address that just refused would only be refused again.
        if (attempts < MAX_ATTEMPTS && (!refused || servers.hasOtherThan(target.address()))) {
            connect(target.address(), true);
        } else {
            // The health loop marks a refused server down a moment later; the refusal itself already says "down".
            outcome.unavailable(refused || servers.allDown() ? HttpResponseStatus.SERVICE_UNAVAILABLE
                    : HttpResponseStatus.BAD_GATEWAY);
        }
    }

    /** RFC 9110 section 9.2.2. */
    private static boolean isIdempotent(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE" -> true;
            default -> false;
        };
    }
}
