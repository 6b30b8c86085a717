package io.maintd.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * The last handler of an upstream connection. While the connection serves an exchange it hands
 * every event to that client's {@link UpstreamRelay}; while it sits in the pool, anything the
 * server sends is unexpected and closes it, and so does the idle timeout.
 */
final class UpstreamResponseHandler extends ChannelInboundHandlerAdapter {
    private final UpstreamPool pool;
    private final InetSocketAddress server;
    private UpstreamRelay relay;

    UpstreamResponseHandler(UpstreamPool pool, InetSocketAddress server) {
        this.pool = pool;
        this.server = server;
    }

    void bind(UpstreamRelay owner) {
        relay = owner;
    }

    void unbind() {
        relay = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (relay != null) {
            relay.onUpstreamMessage(msg);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (relay != null) {
            relay.onUpstreamWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (relay != null) {
            relay.onUpstreamClosed();
        } else {
            pool.forget(server, ctx.channel());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (relay == null) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Closing reaches channelInactive, where the relay (if any) decides what the client gets.
        ctx.close();
    }
}
