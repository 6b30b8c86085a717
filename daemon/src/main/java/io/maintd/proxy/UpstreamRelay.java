package io.maintd.proxy;

import io.maintd.config.AddressSyntax;
import io.maintd.health.ServerHealth;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Relays an exchange routed to a backend: picks a server, takes a pooled connection or opens
 * one, streams the request body up and the response down chunk by chunk, and returns the
 * connection to the pool when both directions ended cleanly with keep-alive.
 *
 * <p>Back-pressure: both channels run with auto-read off. The client is read only while the
 * upstream is writable and the upstream only while the client is writable, so a slow reader
 * on either side stops the other instead of making the proxy buffer a body.
 *
 * <p>Retries: a request is sent to another server once when its connection could not be
 * opened (nothing was sent, so any method is safe; a refused one only when the backend has
 * another address), and when a reused keep-alive connection turned out closed before any
 * response byte, if the request is idempotent and had no body.
 */
final class UpstreamRelay extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(UpstreamRelay.class.getName());
    private static final int MAX_ATTEMPTS = 2;

    private final UpstreamPools pools;
    private ChannelHandlerContext ctx;
    private UpstreamPool pool;

    private Exchange exchange;
    private BackendServers servers;
    private InetSocketAddress server;
    private Channel upstream;
    private UpstreamResponseHandler upstreamHandler;
    /** The connection's one response-timeout task, or null; see {@link #armResponseTimeout}. */
    private ScheduledFuture<?> responseTimer;
    /** When the response timeout expires ({@link System#nanoTime}); 0 while disarmed. */
    private long responseDeadline;
    private int attempts;
    private int status;
    private long sentNanos;
    /** Time from sending the request to the response head; 0 until the head arrives. */
    private long headNanos;
    private boolean upgrade;
    /** The request declared no body, so only an empty end-of-request can still be unread. */
    private boolean bodyless;
    private boolean switching;
    private boolean reused;
    private boolean bodyForwarded;
    private boolean requestComplete;
    private boolean responseStarted;
    private boolean interim;
    private boolean upstreamKeepAlive;
    /** The client's response body ends where its connection closes (an HTTP/1.0 client, no length). */
    private boolean clientCloseDelimited;
    /** A client read was held back because the upstream was not writable. */
    private boolean clientReadWaiting;
    /** An upstream read was held back because the client was not writable. */
    private boolean upstreamReadWaiting;

    UpstreamRelay(UpstreamPools pools) {
        this.pools = pools;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.pool = pools.forLoop(ctx.channel().eventLoop());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Exchange routed) {
            begin(routed);
        } else if (msg instanceof HttpContent content && exchange != null && upstream != null && !requestComplete) {
            forwardBody(content);
        } else {
            // Body left over from an exchange that failed before reading it. The read that
            // brought it was meant for the next request, so ask again.
            ReferenceCountUtil.release(msg);
            ctx.read();
        }
    }

    private void begin(Exchange routed) {
        exchange = routed;
        servers = routed.live().backends().get(routed.backend());
        attempts = 0;
        status = 0;
        switching = false;
        bodyForwarded = false;
        requestComplete = false;
        responseStarted = false;
        headNanos = 0;
        interim = false;
        upstreamKeepAlive = false;
        clientReadWaiting = false;
        upstreamReadWaiting = false;
        upgrade = ForwardedHeaders.isUpgrade(routed.request());
        clientCloseDelimited = false;
        bodyless = !HttpUtil.isTransferEncodingChunked(routed.request())
                && HttpUtil.getContentLength(routed.request(), 0L) == 0;
        ForwardedHeaders.prepareRequest(routed.request(), routed.clientIp(), upgrade);
        if (servers == null) {
            LOG.log(System.Logger.Level.ERROR, "no backend named " + routed.backend() + " (the rules chose it)");
            failBeforeResponse(HttpResponseStatus.BAD_GATEWAY);
            return;
        }
        connect(null, true);
    }

    private void connect(InetSocketAddress avoid, boolean allowPooled) {
        ServerHealth picked = servers.pick(avoid);
        InetSocketAddress next = picked.address();
        attempts++;
        server = next;
        Channel pooled = allowPooled ? pool.acquire(next) : null;
        if (pooled != null) {
            reused = true;
            attach(pooled, false);
            return;
        }
        reused = false;
        Exchange connecting = exchange;
        pool.connect(next, connecting.live().limits()).addListener((ChannelFuture f) -> connected(connecting, picked, f));
    }

    private void connected(Exchange connecting, ServerHealth target, ChannelFuture future) {
        if (exchange != connecting) {
            // The client left while we were connecting; the fresh connection is still good.
            if (future.isSuccess()) {
                pool.release(target.address(), future.channel(), connecting.live().limits().upstreamMaxIdle());
            }
            return;
        }
        if (future.isSuccess()) {
            attach(future.channel(), true);
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
            failBeforeResponse(refused || servers.allDown() ? HttpResponseStatus.SERVICE_UNAVAILABLE
                    : HttpResponseStatus.BAD_GATEWAY);
        }
    }

    /**
     * Sends the head on the connection, then reads the body (or, on a retry, re-ends the
     * request). A pooled connection already has a read pending; a fresh one is asked for the
     * response here.
     */
    private void attach(Channel channel, boolean fresh) {
        upstream = channel;
        upstreamHandler = channel.pipeline().get(UpstreamResponseHandler.class);
        upstreamHandler.bind(this);
        sentNanos = System.nanoTime();
        channel.write(exchange.request()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (fresh) {
            channel.read();
        }
        if (requestComplete) {
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            armResponseTimeout();
        } else {
            // A body-less request's end follows at once (the codec decoded it with the head), and
            // forwardBody flushes it: one write to the socket per request instead of two.
            if (!bodyless) {
                channel.flush();
            }
            ctx.read();
        }
    }

    private void forwardBody(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            content.release();
            abortRequest(content.decoderResult().cause());
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (content.content().isReadable()) {
            bodyForwarded = true;
        }
        upstream.writeAndFlush(content).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (last) {
            requestComplete = true;
            armResponseTimeout();
        } else if (upstream.isWritable()) {
            ctx.read();
        } else {
            clientReadWaiting = true;
        }
    }

    /**
     * The request body failed to decode, so the upstream must never see it end: its connection
     * closes (never pooled) with the body cut where the bad piece began, which no server takes
     * for a whole request. The client gets a 400 if nothing of the response reached it yet, else
     * its response is cut short too; either way its connection closes, since nothing after a bad
     * chunk can be trusted to be the next request.
     */
    private void abortRequest(Throwable cause) {
        exchange.reject(RequestRejection.BODY, "malformed body (" + cause.getMessage() + "); connection to "
                + AddressSyntax.format(server) + " aborted");
        cancelResponseTimeout();
        releaseUpstream(false);
        Exchange aborted = exchange;
        exchange = null;
        if (responseStarted) {
            cutShort(aborted);
        } else {
            aborted.fail(aborted.live().pages().error(RequestRejection.BODY.status()), false);
        }
    }

    void onUpstreamWritabilityChanged() {
        if (clientReadWaiting && upstream.isWritable()) {
            clientReadWaiting = false;
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (upstreamReadWaiting && ctx.channel().isWritable() && upstream != null) {
            upstreamReadWaiting = false;
            upstream.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    void onUpstreamMessage(Object msg) {
        if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
            rejectResponse(msg, "malformed response: " + object.decoderResult().cause());
            return;
        }
        if (!(msg instanceof HttpObject)) {
            rejectResponse(msg, "bytes outside any HTTP message");
            return;
        }
        if (msg instanceof HttpResponse response && !upgrade
                && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            rejectResponse(msg, "101 Switching Protocols to a request that did not ask to upgrade");
            return;
        }
        if (msg instanceof HttpResponse response) {
            onResponseHead(response);
        }
        if (msg instanceof HttpContent content) {
            onResponseContent(content);
        }
    }

    /** Closing the upstream reaches {@link #onUpstreamClosed}: a 502 if nothing was sent yet, else the client closes. */
    private void rejectResponse(Object msg, String why) {
        ReferenceCountUtil.release(msg);
        LOG.log(System.Logger.Level.WARNING, "upstream " + AddressSyntax.format(server) + " sent " + why);
        upstream.close();
    }

    private void onResponseHead(HttpResponse response) {
        cancelResponseTimeout();
        HttpResponseStatus code = response.status();
        if (upgrade && code.code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            switching = true;
            responseStarted = true;
            headNanos = System.nanoTime() - sentNanos;
            status = code.code();
            ForwardedHeaders.prepareResponse(response, true);
            ctx.write(response);
        } else if (code.codeClass() == HttpStatusClass.INFORMATIONAL) {
            interim = true;
            ForwardedHeaders.prepareResponse(response, false);
            ctx.write(response);
        } else {
            responseStarted = true;
            headNanos = System.nanoTime() - sentNanos;
            status = code.code();
            upstreamKeepAlive = HttpUtil.isKeepAlive(response);
            ForwardedHeaders.prepareResponse(response, false);
            frameForClient(response);
            ClientConnectionHeader.apply(response, exchange.clientVersion(), exchange.keepAlive());
            ctx.write(response);
        }
        if (!(response instanceof HttpContent)) {
            readUpstream();
        }
    }

    /**
     * Makes the body's framing one the client understands. A close-delimited body is chunked
     * for an HTTP/1.1 client so its connection can stay open; an HTTP/1.0 client cannot take
     * chunks, so it gets the raw body and the connection closes after it.
     */
    private void frameForClient(HttpResponse response) {
        int code = response.status().code();
        boolean bodyless = exchange.isHead() || code == 204 || code == 304;
        boolean lengthKnown = HttpUtil.isContentLengthSet(response);
        if (exchange.clientVersion().isKeepAliveDefault()) {
            if (!bodyless && !lengthKnown && !HttpUtil.isTransferEncodingChunked(response)) {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        } else if (HttpUtil.isTransferEncodingChunked(response)) {
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            exchange.closeAfterResponse();
            clientCloseDelimited = !bodyless;
        } else if (!bodyless && !lengthKnown) {
            exchange.closeAfterResponse();
            clientCloseDelimited = true;
        }
    }

    private void onResponseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        exchange.countBody(content.content().readableBytes());
        if (last && !switching && !interim) {
            exchange.record(status, headNanos);
        }
        ChannelFuture written = ctx.writeAndFlush(content);
        if (switching) {
            if (last) {
                startTunnel();
            } else {
                readUpstream();
            }
        } else if (interim) {
            interim = !last;
            if (last && requestComplete) {
                // An interim response (103 Early Hints) is not the answer; keep waiting for it.
                armResponseTimeout();
            }
            readUpstream();
        } else if (last) {
            finish(written);
        } else {
            readUpstream();
        }
    }

    private void readUpstream() {
        if (ctx.channel().isWritable()) {
            upstream.read();
        } else {
            upstreamReadWaiting = true;
        }
    }

    /**
     * Both directions ended. A response that ended before its request body did (the server
     * answered early) leaves the rest of the body with nowhere to go, so both connections close.
     */
    private void finish(ChannelFuture lastWrite) {
        cancelResponseTimeout();
        releaseUpstream(upstreamKeepAlive && requestComplete);
        Exchange done = exchange;
        exchange = null;
        done.complete(done.keepAlive() && requestComplete, lastWrite);
    }

    void onUpstreamClosed() {
        upstreamHandler.unbind();
        upstream = null;
        if (!responseStarted) {
            if (staleConnectionRetryable()) {
                connect(server, false);
            } else {
                failBeforeResponse(HttpResponseStatus.BAD_GATEWAY);
            }
            return;
        }
        cancelResponseTimeout();
        Exchange cut = exchange;
        exchange = null;
        cutShort(cut);
    }

    /**
     * Ends a response that has started but will not be completed. Closing is the only way left
     * to tell the client: a chunked or Content-Length response then visibly lacks its end. A
     * close-delimited one (to an HTTP/1.0 client) would look complete, so that connection is
     * reset instead (SO_LINGER 0), which no client takes for the end of a body.
     */
    private void cutShort(Exchange cut) {
        cut.record(status, headNanos);
        if (clientCloseDelimited) {
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        }
        cut.complete(false, ctx.channel().newSucceededFuture());
    }

    private boolean staleConnectionRetryable() {
        return reused && requestComplete && !bodyForwarded && attempts < MAX_ATTEMPTS
                && isIdempotent(exchange.request().method());
    }

    private static boolean isIdempotent(HttpMethod method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method)
                || HttpMethod.PUT.equals(method) || HttpMethod.DELETE.equals(method) || HttpMethod.TRACE.equals(method);
    }

    /** Nothing of the response reached the client yet, so it gets the proxy's own error page. */
    private void failBeforeResponse(HttpResponseStatus error) {
        cancelResponseTimeout();
        if (upstream != null) {
            releaseUpstream(false);
        }
        Exchange failed = exchange;
        exchange = null;
        failed.fail(failed.live().pages().error(error), failed.keepAlive() && (requestComplete || bodyless));
    }

    private void releaseUpstream(boolean reusable) {
        upstreamHandler.unbind();
        if (reusable && upstream.isActive()) {
            pool.release(server, upstream, exchange.live().limits().upstreamMaxIdle());
        } else {
            upstream.close();
        }
        upstream = null;
    }

    /**
     * Arms the response timeout for the current exchange. Scheduling and cancelling a timer
     * task per request costs an allocation and two timer-queue operations; instead one task
     * per connection stays scheduled and a request only moves the deadline. When the task
     * fires early (the deadline moved on) it reschedules itself for the rest.
     */
    private void armResponseTimeout() {
        long timeoutNanos = exchange.live().limits().responseTimeout().toNanos();
        responseDeadline = System.nanoTime() + timeoutNanos;
        if (responseTimer != null && responseTimer.getDelay(TimeUnit.NANOSECONDS) > timeoutNanos) {
            // A reload shortened the timeout: the pending task would fire too late.
            responseTimer.cancel(false);
            responseTimer = null;
        }
        if (responseTimer == null) {
            responseTimer = ctx.executor().schedule(this::onResponseTimer, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void onResponseTimer() {
        responseTimer = null;
        if (responseDeadline == 0) {
            return;
        }
        long left = responseDeadline - System.nanoTime();
        if (left > 0) {
            responseTimer = ctx.executor().schedule(this::onResponseTimer, left, TimeUnit.NANOSECONDS);
            return;
        }
        responseDeadline = 0;
        if (exchange != null && !responseStarted) {
            LOG.log(System.Logger.Level.WARNING, "no response from " + AddressSyntax.format(server)
                    + " within " + exchange.live().limits().responseTimeout().toMillis() + " ms for "
                    + exchange.request().method() + " " + exchange.request().uri());
            failBeforeResponse(HttpResponseStatus.GATEWAY_TIMEOUT);
        }
    }

    private void cancelResponseTimeout() {
        responseDeadline = 0;
    }

    /**
     * After the 101 has gone to the client, both connections stop speaking HTTP: the codecs
     * come out (bytes they had buffered flow on to the tunnel) and raw bytes are relayed both
     * ways until either side closes. The upstream connection is never pooled again.
     */
    private void startTunnel() {
        Channel client = ctx.channel();
        Channel server = upstream;
        upstreamHandler.unbind();
        upstream = null;
        Exchange upgraded = exchange;
        exchange = null;

        ChannelPipeline clientPipeline = client.pipeline();
        clientPipeline.addLast(new TunnelRelay(server));
        clientPipeline.remove(RequestRouter.class);
        clientPipeline.remove(PageResponder.class);
        clientPipeline.remove(this);
        clientPipeline.remove(HttpServerCodec.class);
        clientPipeline.remove(OneMessagePerRead.class);
        clientPipeline.remove(IdleStateHandler.class);

        ChannelPipeline serverPipeline = server.pipeline();
        serverPipeline.addLast(new TunnelRelay(client));
        serverPipeline.remove(UpstreamResponseHandler.class);
        serverPipeline.remove(HttpClientCodec.class);
        serverPipeline.remove(OneMessagePerRead.class);
        serverPipeline.remove(IdleStateHandler.class);

        upgraded.record(status, headNanos);
        upgraded.complete(true, client.newSucceededFuture());
        server.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (responseTimer != null) {
            responseTimer.cancel(false);
            responseTimer = null;
        }
        if (exchange != null) {
            cancelResponseTimeout();
            if (upstream != null) {
                releaseUpstream(false);
            }
            exchange = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "client connection " + ctx.channel().remoteAddress() + " failed: " + cause);
        ctx.close();
    }
}
