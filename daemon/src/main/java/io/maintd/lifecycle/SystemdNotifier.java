package io.maintd.lifecycle;

import io.maintd.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Tells systemd what the daemon is doing, as {@code sd_notify(3)} does: one datagram of
 * {@code KEY=VALUE} lines per state change, sent to the unix socket named by
 * {@code $NOTIFY_SOCKET} (a path, or an abstract name written {@code @name}).
 *
 * <p>The sender is an unbound {@link EpollDomainDatagramChannel} that is active as soon as it
 * is registered, so each datagram carries its own destination and both path and abstract
 * sockets are reached (the JDK has no unix datagram sockets, nor has Netty's io_uring
 * transport: on an io_uring daemon the sender gets an epoll loop of its own). Without {@code $NOTIFY_SOCKET}
 * — not started by systemd, or a unit that is not {@code Type=notify} — the notifier is
 * inactive and every call is a no-op, which is exactly what sd_notify does there.
 *
 * <p>Sending never throws: systemd being unreachable must not take the service down. A
 * failed send is logged with the message it carried.
 */
public final class SystemdNotifier implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SystemdNotifier.class.getName());
    private static final SystemdNotifier INACTIVE = new SystemdNotifier(null, null, null);

    private final Channel channel;
    private final DomainSocketAddress target;
    /** The sender's own loop when the daemon's group is not epoll, else null. */
    private final EventLoopGroup ownLoop;

    private SystemdNotifier(Channel channel, DomainSocketAddress target, EventLoopGroup ownLoop) {
        this.channel = channel;
        this.target = target;
        this.ownLoop = ownLoop;
    }

    public static SystemdNotifier inactive() {
        return INACTIVE;
    }

    /**
     * A notifier for {@code $NOTIFY_SOCKET}, sending from a channel on {@code group} when that is
     * an epoll group, else on a one-thread epoll group of its own; {@link #inactive()} when the
     * variable is unset.
     */
    public static SystemdNotifier fromEnvironment(Map<String, String> env, EventLoopGroup group) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return INACTIVE;
        }
        return open(socket, group);
    }

    /**
     * @param socket a path or {@code @abstract-name}, as systemd writes it into NOTIFY_SOCKET
     * @throws IllegalStateException naming the socket when no sender can be set up
     */
    @SuppressWarnings("deprecation") // DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION: see below
    public static SystemdNotifier open(String socket, EventLoopGroup group) {
        if (!Transport.EPOLL.usable()) {
            throw new IllegalStateException("NOTIFY_SOCKET=" + socket
                    + " is set but sd_notify needs the native epoll library, which does not load here: "
                    + Transport.EPOLL.unavailabilityCause());
        }
        EventLoopGroup ownLoop = Transport.of(group) == Transport.EPOLL ? null : Transport.EPOLL.newGroup(1, "sd-notify");
        // The kernel's name for an abstract socket starts with a NUL byte where systemd writes '@'.
        String address = socket.startsWith("@") ? '\0' + socket.substring(1) : socket;
        // Netty marks the option deprecated but offers nothing else that makes a datagram channel
        // writable without binding or connecting it. A bound sender would need a name of its own;
        // a connected one would tie every message to the socket that existed at connect time,
        // where sd_notify(3) addresses each message anew.
        ChannelFuture registered = new Bootstrap()
                .group(ownLoop != null ? ownLoop : group)
                .channel(EpollDomainDatagramChannel.class)
                .option(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true)
                .handler(new ChannelInboundHandlerAdapter())
                .register()
                .awaitUninterruptibly();
        if (!registered.isSuccess()) {
            if (ownLoop != null) {
                ownLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
            throw new IllegalStateException("NOTIFY_SOCKET=" + socket + ": cannot create the sender: "
                    + registered.cause(), registered.cause());
        }
        return new SystemdNotifier(registered.channel(), new DomainSocketAddress(address), ownLoop);
    }

    public boolean active() {
        return channel != null;
    }

    /** Start-up is complete and the listeners accept: systemd moves the unit to "active". */
    public Future<Void> ready() {
        return send("READY=1");
    }

    /**
     * A reload begins; {@link #ready()} ends it. systemd (since 253) uses the timestamp to tell
     * this reload from an earlier one, and wants CLOCK_MONOTONIC: HotSpot's
     * {@link System#nanoTime()} reads exactly that clock on Linux.
     */
    public Future<Void> reloading() {
        return send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1_000);
    }

    /** Shutdown begins (drain starts); systemd shows the unit as "deactivating". */
    public Future<Void> stopping() {
        return send("STOPPING=1");
    }

    /** One line for {@code systemctl status}; line breaks become spaces so nothing else is set. */
    public Future<Void> status(String text) {
        return send("STATUS=" + text.replace('\n', ' ').replace('\r', ' '));
    }

    /** Keep-alive for {@code WatchdogSec=}; see {@link Watchdog} for who calls it and when. */
    public Future<Void> watchdog() {
        return send("WATCHDOG=1");
    }

    /**
     * Sends one datagram. Calls from one thread arrive in call order: writes from outside the
     * event loop are queued to it in order, and a local datagram socket neither drops nor
     * reorders while the receiver keeps up.
     */
    public Future<Void> send(String assignments) {
        if (channel == null) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
        }
        byte[] bytes = assignments.getBytes(StandardCharsets.UTF_8);
        ChannelFuture sent = channel.writeAndFlush(new DomainDatagramPacket(Unpooled.wrappedBuffer(bytes), target));
        sent.addListener(done -> {
            if (!done.isSuccess()) {
                LOG.log(System.Logger.Level.WARNING, "sd_notify to {0} failed for \"{1}\": {2}",
                        printable(target), firstLine(assignments), done.cause().toString());
            }
        });
        return sent;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (ownLoop != null) {
            ownLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static String printable(DomainSocketAddress address) {
        String path = address.path();
        return path.startsWith("\0") ? "@" + path.substring(1) : path;
    }

    private static String firstLine(String assignments) {
        int end = assignments.indexOf('\n');
        return end < 0 ? assignments : assignments.substring(0, end);
    }
}
