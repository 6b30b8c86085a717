package io.maintd.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/** Native epoll when the platform has it, NIO otherwise; the choice is logged once per process. */
public final class Transport {
    private static final System.Logger LOG = System.getLogger(Transport.class.getName());
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private final boolean epoll;

    private Transport(boolean epoll) {
        this.epoll = epoll;
    }

    public static Transport detect() {
        boolean native_ = Epoll.isAvailable();
        if (LOGGED.compareAndSet(false, true)) {
            if (native_) {
                LOG.log(System.Logger.Level.INFO, "transport: native epoll");
            } else {
                LOG.log(System.Logger.Level.INFO, "transport: NIO (native epoll unavailable: "
                        + Epoll.unavailabilityCause() + ")");
            }
        }
        return new Transport(native_);
    }

    public String name() {
        return epoll ? "epoll" : "nio";
    }

    /** @param threads 0 for Netty's default (twice the cores) */
    public EventLoopGroup newGroup(int threads, String threadName) {
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadName, true), io);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> clientChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
