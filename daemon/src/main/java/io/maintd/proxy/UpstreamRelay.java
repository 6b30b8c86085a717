package io.maintd.proxy;

import io.maintd.proxy.http.MalformedResponse;
import io.maintd.proxy.http.ResponseBody;
import io.maintd.proxy.http.ResponseDecoder;
import io.maintd.proxy.http.ResponseHead;
import io.maintd.syntax.AddressSyntax;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * Relays an exchange routed to a backend, one {@link RelayPhase} after another. The concerns
 * live apart and this handler only sequences them:
 * <ul>
 *   <li>{@link UpstreamAcquisition}: server choice, pooled or new connection, retries;</li>
 *   <li>{@link RequestStream}: the request head and body going up;</li>
 *   <li>{@link ResponseFraming}: which response heads are accepted and how they are framed for
 *       the client;</li>
 *   <li>{@link ResponseTimer}: the wait for a response head;</li>
 *   <li>{@link TunnelHandOff}: the switch to a raw tunnel after a 101.</li>
 * </ul>
 *
 * <p>Back-pressure: both channels run with auto-read off. The client is read only while the
 * upstream is writable ({@link RequestStream}) and the upstream only while the client is
 * writable (here), so a slow reader on either side stops the other instead of making the proxy
 * buffer a body. The connection goes back to the pool when both directions ended cleanly with
 * keep-alive.
 */
final class UpstreamRelay extends ChannelInboundHandlerAdapter implements UpstreamAcquisition.Outcome {
    private static final System.Logger LOG = System.getLogger(UpstreamRelay.class.getName());
    /** What the edits may add to a head (Via, Connection, chunked) beyond the announcement. */
    private static final int HEAD_EDITS_ROOM = 128;
    private static final short CRLF = ('\r' << 8) | '\n';
    private static final ByteBuf CHUNK_END = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {'\r', '\n'}).asReadOnly());
    private static final ByteBuf LAST_CHUNK = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {'0', '\r', '\n', '\r', '\n'}).asReadOnly());

    private final UpstreamPools pools;
    private ChannelHandlerContext ctx;
    private UpstreamAcquisition acquisition;
    private RequestStream request;
    private final ResponseFraming response = new ResponseFraming();
    private ResponseTimer timer;
    /** The maintenance announcement, which forwarded heads carry too; null in a pipeline without it. */
    private AnnouncementHeader announcements;

    private RelayPhase phase = RelayPhase.IDLE;
    /** The exchange being relayed; null exactly when the phase is {@link RelayPhase#IDLE}. */
    private Exchange exchange;
    private Channel upstream;
    private UpstreamResponseHandler upstreamHandler;
    private long sentNanos;
    /** An upstream read was held back because the client was not writable. */
    private boolean upstreamReadWaiting;
    /** The exchange asks to switch protocols: Upgrade is forwarded and a 101 may answer. */
    private boolean upgrade;

    UpstreamRelay(UpstreamPools pools) {
        this.pools = pools;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        acquisition = new UpstreamAcquisition(pools.forLoop(ctx.channel().eventLoop()), this);
        request = new RequestStream(ctx);
        timer = new ResponseTimer(ctx.executor(), this::onResponseTimeout);
        announcements = ctx.pipeline().get(AnnouncementHeader.class);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Exchange routed) {
            begin(routed);
        } else if (msg instanceof HttpContent content && phase != RelayPhase.IDLE && upstream != null && !request.complete()) {
            forwardBody(content);
        } else {
            // Body left over from an exchange that failed before reading it. The read that
            // brought it was meant for the next request, so ask again.
            ReferenceCountUtil.release(msg);
            ctx.read();
        }
    }

    private void begin(Exchange routed) {
        phase = phase.begin();
        exchange = routed;
        upstreamReadWaiting = false;
        upgrade = routed.request().upgrade();
        request.begin(routed.request());
        response.begin(upgrade);
        BackendServers servers = routed.serving().backends().get(routed.backend());
        if (servers == null) {
            LOG.log(System.Logger.Level.ERROR, "no backend named " + routed.backend() + " (the rules chose it)");
            failBeforeResponse(HttpResponseStatus.BAD_GATEWAY);
            return;
        }
        acquisition.start(routed, servers);
    }

    /** A pooled connection already has a read pending; a fresh one is asked for the response here. */
    @Override
    public void acquired(Channel channel, boolean fresh) {
        phase = phase.moveTo(RelayPhase.AWAITING_RESPONSE);
        upstream = channel;
        upstreamHandler = channel.pipeline().get(UpstreamResponseHandler.class);
        upstreamHandler.bind(this);
        sentNanos = System.nanoTime();
        // An HTTP/1.0 client cannot take chunks, so a chunked body comes down without its framing.
        channel.pipeline().get(ResponseDecoder.class).expect(exchange.isHead(), !exchange.clientVersion().isKeepAliveDefault());
        if (fresh) {
            channel.read();
        }
        if (request.sendHead(channel, exchange.request(), exchange.clientIp(), upgrade)) {
            timer.arm(exchange.serving().limits().responseTimeout());
        }
    }

    @Override
    public void unavailable(HttpResponseStatus status) {
        failBeforeResponse(status);
    }

    private void forwardBody(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            content.release();
            abortRequest(content.decoderResult().cause());
            return;
        }
        if (request.forward(content, upstream)) {
            timer.arm(exchange.serving().limits().responseTimeout());
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
                + AddressSyntax.format(acquisition.server()) + " aborted");
        boolean responseStarted = phase.responseStarted();
        releaseUpstream(false);
        Exchange aborted = end();
        if (responseStarted) {
            cutShort(aborted);
        } else {
            aborted.fail(aborted.serving().pages().error(RequestRejection.BODY.status()), false);
        }
    }

    void onUpstreamWritabilityChanged() {
        request.onUpstreamWritable(upstream);
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
        if (msg instanceof ResponseHead head) {
            String refusal = response.refusal(head);
            if (refusal != null) {
                rejectResponse(msg, refusal);
                return;
            }
            onResponseHead(head);
        } else if (msg instanceof ResponseBody body) {
            onResponseBody(body);
        } else if (msg instanceof MalformedResponse malformed) {
            rejectResponse(msg, malformed.reason());
        } else {
            rejectResponse(msg, "bytes outside any HTTP message");
        }
    }

    /** Closing the upstream reaches {@link #onUpstreamClosed}: a 502 if nothing was sent yet, else the client closes. */
    private void rejectResponse(Object msg, String why) {
        ReferenceCountUtil.release(msg);
        LOG.log(System.Logger.Level.WARNING, "upstream " + AddressSyntax.format(acquisition.server()) + " sent " + why);
        upstream.close();
    }

    /** The head goes to the client as bytes; a head without a body (a 1xx, a 204, a HEAD's answer) also ends its response. */
    private void onResponseHead(ResponseHead head) {
        timer.disarm();
        ByteBuf out = ctx.alloc().buffer(head.content().readableBytes() + HEAD_EDITS_ROOM);
        String announcement = announcements == null ? null : announcements.current();
        RelayPhase next;
        try {
            next = response.onHead(head, exchange, sentNanos, announcement == null ? null : announcements.name(),
                    announcement, out);
        } finally {
            head.release();
        }
        phase = phase.moveTo(next);
        boolean bodyless = head.framing() == 0;
        if (bodyless && phase == RelayPhase.RESPONDING) {
            exchange.record(response.status(), response.headNanos());
        }
        ChannelFuture written = ctx.write(new ForwardedHeadBytes(out, head.status()));
        if (bodyless) {
            ctx.flush();
            onResponseEnd(written);
        } else {
            readUpstream();
        }
    }

    private void onResponseBody(ResponseBody body) {
        boolean last = body.last();
        exchange.countBody(body.payloadBytes());
        if (last && phase == RelayPhase.RESPONDING) {
            exchange.record(response.status(), response.headNanos());
        }
        ChannelFuture written = response.chunkForClient() ? writeChunk(body.content(), last) : ctx.writeAndFlush(body.content());
        if (last) {
            onResponseEnd(written);
        } else {
            readUpstream();
        }
    }

    /** A piece of a close-delimited body as a chunk of its own for an HTTP/1.1 client; the last one ends the body. */
    private ChannelFuture writeChunk(ByteBuf piece, boolean last) {
        if (piece.isReadable()) {
            ByteBuf size = ctx.alloc().buffer(18);
            ByteBufUtil.writeAscii(size, Integer.toHexString(piece.readableBytes()));
            size.writeShort(CRLF);
            ctx.write(size);
            ctx.write(piece);
            ctx.write(CHUNK_END.duplicate());
        } else {
            piece.release();
        }
        return last ? ctx.writeAndFlush(LAST_CHUNK.duplicate()) : ctx.writeAndFlush(Unpooled.EMPTY_BUFFER);
    }

    private void onResponseEnd(ChannelFuture written) {
        switch (phase) {
            case SWITCHING -> startTunnel();
            case INTERIM -> {
                // An interim response (103 Early Hints) is not the answer; keep waiting for it.
                phase = phase.moveTo(RelayPhase.AWAITING_RESPONSE);
                if (request.complete()) {
                    timer.arm(exchange.serving().limits().responseTimeout());
                }
                readUpstream();
            }
            default -> finish(written);
        }
    }

    private void readUpstream() {
        if (ctx.channel().isWritable()) {
            upstream.read();
        } else {
            // What is written but not flushed would never drain, and writability never come back.
            upstreamReadWaiting = true;
            ctx.flush();
        }
    }

    /**
     * Both directions ended. A response that ended before its request body did (the server
     * answered early) leaves the rest of the body with nowhere to go, so both connections close.
     */
    private void finish(ChannelFuture lastWrite) {
        boolean requestComplete = request.complete();
        releaseUpstream(response.upstreamKeepAlive() && requestComplete);
        Exchange done = end();
        done.complete(done.keepAlive() && requestComplete, lastWrite);
    }

    void onUpstreamClosed() {
        upstreamHandler.unbind();
        upstream = null;
        if (phase.responseStarted()) {
            cutShort(end());
        } else if (phase == RelayPhase.AWAITING_RESPONSE
                && acquisition.staleRetryable(request.complete(), request.bodyForwarded(), exchange.method())) {
            phase = phase.moveTo(RelayPhase.CONNECTING);
            acquisition.retryStale();
        } else {
            failBeforeResponse(HttpResponseStatus.BAD_GATEWAY);
        }
    }

    /**
     * Ends a response that has started but will not be completed. Closing is the only way left
     * to tell the client: a chunked or Content-Length response then visibly lacks its end. A
     * close-delimited one (to an HTTP/1.0 client) would look complete, so that connection is
     * reset instead (SO_LINGER 0), which no client takes for the end of a body.
     */
    private void cutShort(Exchange cut) {
        cut.record(response.status(), response.headNanos());
        if (response.clientCloseDelimited()) {
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        }
        // What was written goes out first (a head still waits for its first body piece to be flushed).
        cut.complete(false, ctx.writeAndFlush(Unpooled.EMPTY_BUFFER));
    }

    /** Nothing of the response reached the client yet, so it gets the proxy's own error page. */
    private void failBeforeResponse(HttpResponseStatus error) {
        if (upstream != null) {
            releaseUpstream(false);
        }
        boolean keepAlive = request.complete() || request.bodyless();
        Exchange failed = end();
        failed.fail(failed.serving().pages().error(error), failed.keepAlive() && keepAlive);
    }

    private void onResponseTimeout() {
        if (phase != RelayPhase.IDLE && !phase.responseStarted()) {
            LOG.log(System.Logger.Level.WARNING, "no response from " + AddressSyntax.format(acquisition.server())
                    + " within " + exchange.serving().limits().responseTimeout().toMillis() + " ms for "
                    + exchange.method() + " " + exchange.target());
            failBeforeResponse(HttpResponseStatus.GATEWAY_TIMEOUT);
        }
    }

    private void releaseUpstream(boolean reusable) {
        upstreamHandler.unbind();
        acquisition.giveBack(upstream, reusable);
        upstream = null;
    }

    /** The exchange is over for the relay, whatever its outcome: back to {@link RelayPhase#IDLE}. */
    private Exchange end() {
        phase = phase.moveTo(RelayPhase.IDLE);
        timer.disarm();
        acquisition.forget();
        Exchange ended = exchange;
        exchange = null;
        return ended;
    }

    private void startTunnel() {
        Channel client = ctx.channel();
        Channel server = upstream;
        upstreamHandler.unbind();
        upstream = null;
        Exchange upgraded = end();
        TunnelHandOff.start(client, server, this);
        upgraded.record(response.status(), response.headNanos());
        upgraded.complete(true, client.newSucceededFuture());
        server.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timer.stop();
        if (phase != RelayPhase.IDLE) {
            if (upstream != null) {
                releaseUpstream(false);
            }
            end();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "client connection " + ctx.channel().remoteAddress() + " failed: " + cause);
        ctx.close();
    }
}
