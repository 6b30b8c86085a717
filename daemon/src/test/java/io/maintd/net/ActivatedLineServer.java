package io.maintd.net;

import io.maintd.config.TransportChoice;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The process {@code systemd-socket-activate} starts in {@link SocketActivationTest}: it asks
 * {@link SocketActivation} for its {@code http} listener (configured on port 0, so a bind
 * instead of an adoption would never see the test's connection), answers one connection with
 * a line naming the listener it served on, and exits. Exits 2 with the error on stderr when
 * the listener cannot be set up. The one argument is the transport, as the {@code transport:}
 * key writes it.
 */
public final class ActivatedLineServer {
    private ActivatedLineServer() {
    }

    public static void main(String[] args) throws Exception {
        EventLoopGroup group = Transport.select(TransportChoice.parse(args[0])).newGroup(1, "activated");
        CountDownLatch served = new CountDownLatch(1);
        try {
            SocketActivation listeners = SocketActivation.fromEnvironment();
            ServerBootstrap bootstrap = new ServerBootstrap().group(group).childHandler(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    String line = "served by pid " + ProcessHandle.current().pid() + " on " + ctx.channel().localAddress()
                            + " unclaimed " + listeners.unclaimed().size() + "\n";
                    ctx.writeAndFlush(Unpooled.copiedBuffer(line, StandardCharsets.US_ASCII))
                            .addListener(ChannelFutureListener.CLOSE)
                            .addListener(done -> served.countDown());
                }
            });
            Channel listener;
            try {
                listener = listeners.listen(bootstrap, new InetSocketAddress("127.0.0.1", 0), "http", "listen");
            } catch (RuntimeException e) {
                System.err.println(e.getMessage());
                System.exit(2);
                return;
            }
            System.out.println("listening on " + listener.localAddress());
            if (!served.await(60, TimeUnit.SECONDS)) {
                System.exit(3);
            }
            listener.close().syncUninterruptibly();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
