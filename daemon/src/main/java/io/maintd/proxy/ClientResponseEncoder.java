package io.maintd.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * What leaves a client connection. The proxy's own pages are {@code FullHttpResponse}s that
 * Netty's encoder writes; a forwarded response is bytes already ({@link ForwardedHeadBytes}
 * then plain {@code ByteBuf} body pieces) and passes through untouched. Netty's encoder
 * cannot carry those itself: a non-empty {@code ByteBuf} between messages is an "unexpected
 * message type" to it (HttpObjectEncoder in 4.2.18), and chunking is for the relay to decide
 * (it never puts a terminator after a HEAD, 204 or 304 response, which have no body).
 */
final class ClientResponseEncoder extends HttpResponseEncoder {
    @Override
    public boolean acceptOutboundMessage(Object msg) throws Exception {
        return !(msg instanceof ByteBuf) && super.acceptOutboundMessage(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ForwardedHeadBytes head) {
            ctx.write(head.content(), promise);
            return;
        }
        super.write(ctx, msg, promise);
    }
}
