package io.maintd.net;

import io.maintd.config.TransportChoice;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
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
import io.netty.channel.uring.InheritedIoUringServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Which Netty I/O implementation a group runs. io_uring where the kernel allows it: it submits
 * a whole event-loop turn's receives and sends in one {@code io_uring_enter}, where epoll makes
 * a system call for each, and proxying measured about a third less CPU per request on it
 * (bench/RESULTS.md). Native epoll where io_uring is refused (an old kernel,
 * {@code kernel.io_uring_disabled}, a seccomp filter such as Docker's default), the JDK's NIO
 * where neither native library loads. Channels must match their group, so servers that are
 * handed a shared group ask {@link #of} instead of choosing for themselves.
 */
public enum Transport {
    IO_URING("io_uring", IoUringServerSocketChannel.class, IoUringSocketChannel.class, IoUringIoHandler.class,
            IoUringIoHandler::newFactory, InheritedIoUringServerSocketChannel::new),
    EPOLL("epoll", EpollServerSocketChannel.class, EpollSocketChannel.class, EpollIoHandler.class,
            EpollIoHandler::newFactory, EpollServerSocketChannel::new),
    NIO("nio", NioServerSocketChannel.class, NioSocketChannel.class, NioIoHandler.class, NioIoHandler::newFactory, null);

    private static final System.Logger LOG = System.getLogger(Transport.class.getName());

    private final String key;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends SocketChannel> clientChannel;
    private final Class<? extends IoHandler> handlerType;
    private final Supplier<IoHandlerFactory> handlers;
    private final IntFunction<ServerChannel> adopter;

    Transport(String key, Class<? extends ServerChannel> serverChannel, Class<? extends SocketChannel> clientChannel,
              Class<? extends IoHandler> handlerType, Supplier<IoHandlerFactory> handlers,
              IntFunction<ServerChannel> adopter) {
        this.key = key;
        this.serverChannel = serverChannel;
        this.clientChannel = clientChannel;
        this.handlerType = handlerType;
        this.handlers = handlers;
        this.adopter = adopter;
    }

    /**
     * The transport {@code choice} names, or for {@code auto} the first of io_uring, epoll and
     * NIO that is usable here; logs the choice and why a better one was passed over.
     *
     * @throws IllegalStateException naming the {@code transport} key when the named one is not usable here
     */
    public static Transport select(TransportChoice choice) {
        Transport chosen = resolve(choice);
        List<String> passedOver = new ArrayList<>();
        for (Transport better : values()) {
            if (better == chosen) {
                break;
            }
            if (!better.usable()) {
                passedOver.add(better.key + " unavailable: " + better.unavailabilityCause());
            }
        }
        LOG.log(System.Logger.Level.INFO, "transport: " + chosen.key
                + (passedOver.isEmpty() ? "" : " (" + String.join("; ", passedOver) + ")"));
        return chosen;
    }

    /**
     * The transport {@code auto} picks, for groups that have no configuration (the demo's
     * backend, tools); not logged, since the daemon beside them logs its own {@link #select}.
     */
    public static Transport preferred() {
        return resolve(TransportChoice.AUTO);
    }

    private static Transport resolve(TransportChoice choice) {
        Transport chosen = switch (choice) {
            case AUTO -> IO_URING.usable() ? IO_URING : EPOLL.usable() ? EPOLL : NIO;
            case IO_URING -> IO_URING;
            case EPOLL -> EPOLL;
            case NIO -> NIO;
        };
        if (!chosen.usable()) {
            throw new IllegalStateException("transport: " + chosen.key + " is not available here: "
                    + chosen.unavailabilityCause() + " (use transport: auto to fall back)");
        }
        return chosen;
    }

    /** The transport a group was built for; a group of any other kind is treated as NIO. */
    public static Transport of(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io) {
            for (Transport transport : values()) {
                if (transport.usable() && io.isIoType(transport.handlerType)) {
                    return transport;
                }
            }
        }
        return NIO;
    }

    /** Whether its native library loads and, for io_uring, the kernel lets this process set up a ring. */
    public boolean usable() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case NIO -> true;
        };
    }

    /** Why {@link #usable} is false, as Netty says it; "unknown" when it is usable. */
    public String unavailabilityCause() {
        Throwable cause = switch (this) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
        };
        return cause == null ? "unknown" : cause.getMessage() != null ? cause.getMessage() : cause.toString();
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

    /** Whether {@link #adopt} works: the JDK's NIO cannot wrap a descriptor it did not open. */
    public boolean adopts() {
        return adopter != null;
    }

    /** A server channel over {@code fd}, a socket already bound and listening (systemd's). */
    public ServerChannel adopt(int fd) {
        if (adopter == null) {
            throw new UnsupportedOperationException(key + " cannot adopt a listening socket");
        }
        return adopter.apply(fd);
    }

    /** As the {@code transport:} key writes it. */
    @Override
    public String toString() {
        return key;
    }
}
