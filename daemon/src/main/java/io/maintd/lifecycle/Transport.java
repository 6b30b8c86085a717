package io.maintd.lifecycle;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.function.Supplier;

/**
 * Which Netty I/O implementation a group runs: native epoll where the library loads (Linux),
 * the JDK's NIO elsewhere. Channels must match their group, so servers that are handed a
 * shared group ask {@link #of} instead of choosing for themselves.
 */
public enum Transport {
    EPOLL(EpollServerSocketChannel.class, EpollIoHandler::newFactory),
    NIO(NioServerSocketChannel.class, NioIoHandler::newFactory);

    private final Class<? extends ServerChannel> serverChannel;
    private final Supplier<IoHandlerFactory> handlers;

    Transport(Class<? extends ServerChannel> serverChannel, Supplier<IoHandlerFactory> handlers) {
        this.serverChannel = serverChannel;
        this.handlers = handlers;
    }

    /** Epoll when its native library is usable here, else NIO. */
    public static Transport preferred() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** The transport a group was built for; anything but an epoll group is treated as NIO. */
    public static Transport of(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup io && Epoll.isAvailable() && io.isIoType(EpollIoHandler.class)
                ? EPOLL : NIO;
    }

    public EventLoopGroup newGroup(int threads, String threadNamePrefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadNamePrefix), handlers.get());
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }
}
