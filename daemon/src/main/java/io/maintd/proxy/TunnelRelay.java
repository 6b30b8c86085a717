package io.maintd.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Relays raw bytes one way after a protocol switch (WebSocket after {@code 101}), as Netty's
 * HexDumpProxy does: read from this side only while the peer can take more, and close the
 * peer once its pending writes are flushed when this side closes.
 */
final class TunnelRelay extends ChannelInboundHandlerAdapter {
    private final Channel peer;

    TunnelRelay(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        peer.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (peer.isWritable()) {
            ctx.read();
        }
    }

    /** This side drained its backlog, so the peer, which writes here, may read again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
