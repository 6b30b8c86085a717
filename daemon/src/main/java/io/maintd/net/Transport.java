package io.maintd.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
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
import java.util.function.Supplier;

/**
 * Which Netty I/O implementation a group runs: native epoll where the library loads (Linux),
 * the JDK's NIO elsewhere. Channels must match their group, so servers that are handed a
 * shared group ask {@link #of} instead of choosing for themselves.
 */
public enum Transport {
    EPOLL(EpollServerSocketChannel.class, EpollSocketChannel.class, EpollIoHandler::newFactory),
    NIO(NioServerSocketChannel.class, NioSocketChannel.class, NioIoHandler::newFactory);

    private static final System.Logger LOG = System.getLogger(Transport.class.getName());
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends SocketChannel> clientChannel;
    private final Supplier<IoHandlerFactory> handlers;

    Transport(Class<? extends ServerChannel> serverChannel, Class<? extends SocketChannel> clientChannel,
              Supplier<IoHandlerFactory> handlers) {
        this.serverChannel = serverChannel;
        this.clientChannel = clientChannel;
        this.handlers = handlers;
    }

    /** Epoll when its native library is usable here, else NIO; the first call logs the choice and why. */
    public static Transport preferred() {
        boolean epoll = Epoll.isAvailable();
        if (LOGGED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, epoll ? "transport: native epoll"
                    : "transport: NIO (native epoll unavailable: " + Epoll.unavailabilityCause() + ")");
        }
        return epoll ? EPOLL : NIO;
    }

    /** The transport a group was built for; anything but an epoll group is treated as NIO. */
    public static Transport of(EventLoopGroup group) {
        return group instanceof IoEventLoopGroup io && Epoll.isAvailable() && io.isIoType(EpollIoHandler.class)
                ? EPOLL : NIO;
    }

    /**
     * @param threads how many event loops. Daemon threads: the process ends when its main
     *                thread says so, never because a loop is still running.
     */
    public EventLoopGroup newGroup(int threads, String threadNamePrefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadNamePrefix, true), handlers.get());
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends SocketChannel> clientChannel() {
        return clientChannel;
    }
}
