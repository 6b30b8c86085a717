package io.maintd.proxy;

import io.maintd.config.MaintdConfig.Limits;
import io.maintd.net.ThrottledLog;
import io.maintd.proxy.http.HeadParser;
import io.maintd.proxy.http.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client connection's deadlines against slow clients (slowloris), which an idle timeout
 * cannot catch because every byte restarts it:
 * <ul>
 *   <li><b>head</b>: a request head must be complete {@code limits.header-timeout} after its first
 *       byte (HAProxy's {@code timeout http-request}); the first request of a connection counts
 *       from the accept, as nginx's {@code client_header_timeout} and HAProxy do. The gap between
 *       requests is the client idle timeout's business. A late head is answered 408 with
 *       {@code Connection: close}, as JSON when what arrived of it asked for JSON; a connection
 *       that sent nothing at all is closed without an answer (a browser's pre-connect, which a 408
 *       would only confuse: HAProxy's {@code http-ignore-probes}).</li>
 *   <li><b>body</b>: a request body is watched by a {@link BodyClock}. A late body is answered 408
 *       if no response has started, and the connection is closed, which also closes the backend
 *       connection the body was going to (see {@link UpstreamRelay#channelInactive}): a client
 *       trickling a body cannot hold a backend connection.</li>
 * </ul>
 *
 * <p>It needs two places in the pipeline, so it is two handlers over one state: the {@link
 * #wireSide} before the decoder sees bytes as they arrive and the proxy asking for them; the
 * {@link #exchangeSide} after {@link RequestRouter} sees where each request's head and body end,
 * and the responses going out. One timer per connection at a time: a deadline that moves later
 * leaves the timer where it is, and the timer, when it fires early, sets itself for the rest.
 */
final class RequestDeadlines {
    private static final System.Logger LOG = System.getLogger(RequestDeadlines.class.getName());
    private static final ThrottledLog LATE_HEADS = new ThrottledLog(LOG, System.Logger.Level.INFO);
    private static final ThrottledLog LATE_BODIES = new ThrottledLog(LOG, System.Logger.Level.INFO);

    private enum Phase {
        /** Reading a request head, which must be complete by {@link #headDeadline}. */
        HEAD,
        /** The head was decoded; its body, if any, is arriving under the {@link BodyClock}. */
        BODY,
        /**
         * The request arrived whole and its response is under way; the next request was not asked
         * for yet. Bytes that arrive now (the decoder reads ahead) wait, and start no deadline
         * until the next request is asked for: a slow backend is no late client.
         */
        ANSWERING,
        /** The next request was asked for and none of it has arrived. The next byte starts a head. */
        BETWEEN,
        /** A deadline passed: the 408 is being answered or the connection closed; nothing more is read. */
        EXPIRED,
        /** The connection switched protocols (101): no longer HTTP, so no deadlines. */
        TUNNEL
    }

    private final long headerTimeoutNanos;
    private final Limits limits;
    private final BodyClock body;
    private final ChannelHandler wireSide = new WireSide();
    private final ChannelHandler exchangeSide = new ExchangeSide();
    private ChannelHandlerContext wire;
    private Phase phase = Phase.HEAD;
    private long headDeadline;
    private long headBytes;
    /** The request being received, or after a head timeout the one answered 408; null between. */
    private Exchange current;
    /** A final response (status 200 or more) to {@link #current} has begun going out. */
    private boolean responseStarted;
    private ScheduledFuture<?> timer;

    RequestDeadlines(Limits limits) {
        this.limits = limits;
        this.headerTimeoutNanos = limits.headerTimeout().toNanos();
        this.body = new BodyClock(limits.bodyTimeout().toNanos(), limits.bodyMinRate());
    }

    /** Goes before the HTTP codec. */
    ChannelHandler wireSide() {
        return wireSide;
    }

    /** Goes after {@link RequestRouter}, before the handlers that answer exchanges. */
    ChannelHandler exchangeSide() {
        return exchangeSide;
    }

    private void startHead(long now) {
        phase = Phase.HEAD;
        headBytes = 0;
        headDeadline = now + headerTimeoutNanos;
        checkWithin(headerTimeoutNanos);
    }

    /** Makes sure the timer fires no later than {@code nanos} from now. */
    private void checkWithin(long nanos) {
        if (timer != null) {
            if (timer.getDelay(TimeUnit.NANOSECONDS) <= nanos) {
                return;
            }
            timer.cancel(false);
        }
        timer = wire.executor().schedule(this::check, Math.max(nanos, 0), TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        long now = System.nanoTime();
        if (phase == Phase.HEAD) {
            long left = headDeadline - now;
            if (left > 0) {
                checkWithin(left);
            } else {
                headExpired();
            }
        } else if (phase == Phase.BODY) {
            long left = body.nanosLeft(now);
            if (left > 0) {
                checkWithin(left);
            } else {
                bodyExpired(now);
            }
        }
    }

    /**
     * The decoder holds what arrived of the head. Ending its input makes it hand that over as a
     * failed head, which {@link RequestRouter} turns into an exchange like any bad request and
     * {@link ExchangeSide} answers 408. When the decoder has nothing to hand over (it was not
     * asked for a request yet), a stand-in takes the same way.
     */
    private void headExpired() {
        phase = Phase.EXPIRED;
        if (headBytes == 0) {
            wire.close();
            return;
        }
        String client = String.valueOf(wire.channel().remoteAddress());
        long bytes = headBytes;
        LATE_HEADS.log(() -> "request head from " + client + " incomplete after " + limits.headerTimeout().toMillis()
                + " ms (limits.header-timeout), " + bytes + " bytes received; answered 408");
        current = null;
        wire.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        if (current == null) {
            wire.fireChannelRead(RequestHead.failed(HeadParser.Outcome.INCOMPLETE));
        }
        if (current == null) {
            wire.close();
        }
    }

    private void bodyExpired(long now) {
        phase = Phase.EXPIRED;
        String client = String.valueOf(wire.channel().remoteAddress());
        long bytes = body.bytes();
        long waited = body.waitedMillis(now);
        boolean answer = current != null && !current.isCompleted() && !responseStarted;
        LATE_BODIES.log(() -> "request body from " + client + " too slow: " + bytes + " bytes in " + waited
                + " ms of waiting (limits.body-timeout " + limits.bodyTimeout().toMillis() + " ms, body-min-rate "
                + limits.bodyMinRate() + " bytes/s); " + (answer ? "answered 408 and closed" : "closed"));
        if (answer) {
            current.fail(current.serving().pages().error(HttpResponseStatus.REQUEST_TIMEOUT), false);
        }
        // At once, not after the 408 is written: from here on nothing may follow it onto the
        // connection, and closing is also what closes the backend connection.
        wire.close();
    }

    private final class WireSide extends ChannelDuplexHandler {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            wire = ctx;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            startHead(System.nanoTime());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf bytes) {
                int count = bytes.readableBytes();
                switch (phase) {
                    case EXPIRED -> {
                        bytes.release();
                        return;
                    }
                    case BETWEEN -> {
                        if (count > 0) {
                            startHead(System.nanoTime());
                            headBytes = count;
                        }
                    }
                    case HEAD, ANSWERING -> headBytes += count;
                    case BODY -> body.received(count, System.nanoTime());
                    case TUNNEL -> { }
                }
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void read(ChannelHandlerContext ctx) {
            if (phase == Phase.BODY) {
                body.waitFrom(System.nanoTime());
            }
            ctx.read();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            ctx.fireChannelInactive();
        }
    }

    private final class ExchangeSide extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Exchange exchange) {
                if (phase == Phase.EXPIRED) {
                    answerHeadTimeout(exchange);
                    return;
                }
                if (phase != Phase.TUNNEL) {
                    current = exchange;
                    responseStarted = false;
                    phase = Phase.BODY;
                    body.start();
                    checkWithin(body.nanosLeft(System.nanoTime()));
                }
            } else if (msg instanceof LastHttpContent && phase == Phase.BODY) {
                phase = Phase.ANSWERING;
                headBytes = 0;
                current = null;
            }
            ctx.fireChannelRead(msg);
        }

        /**
         * A read from the handlers after this one while the last request's response is under way
         * asks for the next request: its head deadline starts now if some of it is here already,
         * else with its first byte. (The decoder's reads ahead of demand do not pass here.)
         */
        @Override
        public void read(ChannelHandlerContext ctx) {
            if (phase == Phase.ANSWERING) {
                if (headBytes > 0) {
                    long early = headBytes;
                    startHead(System.nanoTime());
                    headBytes = early;
                } else {
                    phase = Phase.BETWEEN;
                }
            }
            ctx.read();
        }

        private void answerHeadTimeout(Exchange exchange) {
            current = exchange;
            exchange.answer(exchange.serving().pages().error(HttpResponseStatus.REQUEST_TIMEOUT), false);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            int code = msg instanceof HttpResponse response ? response.status().code()
                    : msg instanceof ForwardedHeadBytes head ? head.status() : 0;
            if (code > 0) {
                if (code == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                    phase = Phase.TUNNEL;
                } else if (code >= 200) {
                    responseStarted = true;
                }
            }
            ctx.write(msg, promise);
        }
    }
}
