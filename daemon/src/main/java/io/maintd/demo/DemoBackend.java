package io.maintd.demo;

import io.maintd.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The stand-in service behind the sidecar in {@code maintd demo}: answers every request with
 * a line naming its port, then the request line and the forwarding headers it received, so
 * a person trying the demo sees that the request went through the proxy.
 */
public final class DemoBackend implements AutoCloseable {
    /** Demo requests are small; anything bigger is refused rather than buffered. */
    private static final int MAX_BODY = 64 * 1024;

    private final Channel listener;

    private DemoBackend(Channel listener) {
        this.listener = listener;
    }

    public static DemoBackend start(InetSocketAddress address, EventLoopGroup group, Transport transport) {
        Channel channel = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpServerKeepAliveHandler())
                                .addLast(new HttpObjectAggregator(MAX_BODY))
                                .addLast(new Responder());
                    }
                })
                .bind(address)
                .syncUninterruptibly()
                .channel();
        return new DemoBackend(channel);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }

    private static final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            int port = ((InetSocketAddress) ctx.channel().localAddress()).getPort();
            String text = "hello from the demo backend (port " + port + ")\n"
                    + request.method() + " " + request.uri() + "\n"
                    + "x-forwarded-for: " + request.headers().get("X-Forwarded-For", "-") + "\n"
                    + "via: " + request.headers().get(HttpHeaderNames.VIA, "-") + "\n";
            ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
