package io.maintd.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Answers exchanges routed to a page (maintenance, shed, request errors). A request body is
 * read and dropped first, so the connection stays usable for the next request (a body that
 * fails to decode gets a 400 instead, and the connection closes); a client
 * waiting for {@code 100 Continue} is answered at once and the connection closed instead,
 * since it may never send the body. Exchanges for a backend pass through.
 */
final class PageResponder extends ChannelInboundHandlerAdapter {
    /** The page exchange whose request body is still arriving, else null. */
    private Exchange draining;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Exchange exchange && exchange.page() != null) {
            start(ctx, exchange);
        } else if (draining != null && msg instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            DecoderResult decoded = content.decoderResult();
            content.release();
            if (decoded.isFailure()) {
                // Nothing after a bad chunk can be trusted to be the next request: 400 and close.
                Exchange exchange = draining;
                draining = null;
                exchange.reject(RequestRejection.BODY, "malformed body (" + decoded.cause().getMessage() + ")");
                exchange.fail(exchange.serving().pages().error(RequestRejection.BODY.status()), false);
            } else if (last) {
                Exchange exchange = draining;
                draining = null;
                exchange.answer(exchange.page(), exchange.keepAlive());
            } else {
                ctx.read();
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void start(ChannelHandlerContext ctx, Exchange exchange) {
        if (exchange.route() == Route.ERROR) {
            // A refused head: whatever follows it on the wire (its body, if it has one) cannot be
            // trusted to be framed as it says, so nothing more is read.
            exchange.answer(exchange.page(), false);
        } else if (exchange.request().expectsContinue()) {
            exchange.answer(exchange.page(), false);
        } else {
            draining = exchange;
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        draining = null;
        ctx.fireChannelInactive();
    }
}
