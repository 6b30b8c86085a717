package io.maintd.lifecycle;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Plays systemd's side of sd_notify: a unix datagram socket bound to a path or an abstract
 * name (written with a leading '@', as in NOTIFY_SOCKET), collecting each datagram as text.
 */
public final class NotifyReceiver implements AutoCloseable {
    private final Channel channel;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    public NotifyReceiver(EventLoopGroup group, String notifySocket) {
        String address = notifySocket.startsWith("@") ? '\0' + notifySocket.substring(1) : notifySocket;
        channel = new Bootstrap()
                .group(group)
                .channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                        received.add(packet.content().toString(StandardCharsets.UTF_8));
                    }
                })
                .bind(new DomainSocketAddress(address))
                .syncUninterruptibly()
                .channel();
    }

    /** The next datagram; fails the test rather than wait forever. */
    public String next() throws InterruptedException {
        String message = received.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no sd_notify message arrived within 10 s");
        }
        return message;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
