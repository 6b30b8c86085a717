package io.maintd.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where each listener of the daemon comes from: a socket systemd passed in (socket activation),
 * or a fresh bind. The daemon calls {@link #listen} once per listener, {@code http} first.
 *
 * <p>Adopting is what makes a restart lossless: the socket belongs to maintd.socket, so while
 * the service restarts the kernel keeps queueing connections on it and the next instance
 * accepts them. A plain bind is exclusive on purpose: without {@code SO_REUSEPORT} a second
 * maintd (say, started by hand with another flag file) fails with "address ... already in
 * use" instead of silently taking half of the connections. {@code SO_REUSEADDR} stays on, so
 * a restart can bind at once while the previous instance's connections sit in TIME_WAIT; on
 * Linux it never lets two sockets listen on one port.
 */
public final class SocketActivation {
    private static final System.Logger LOG = System.getLogger(SocketActivation.class.getName());
    /** From {@code <sys/socket.h>}; Netty exposes the raw getsockopt but not these names. */
    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SO_ACCEPTCONN = 30;
    private static final int SOCK_STREAM = 1;

    private final ListenFds inherited;
    private final Set<Integer> claimed = new HashSet<>();

    public SocketActivation(ListenFds inherited) {
        this.inherited = inherited;
    }

    public static SocketActivation fromEnvironment() {
        return new SocketActivation(ListenFds.fromEnvironment());
    }

    /**
     * Returns a listening channel registered with {@code bootstrap}'s group and handlers: the
     * inherited socket named {@code name} if there is one (else, in call order, one systemd left
     * unnamed), otherwise {@code address} bound exclusively. The bootstrap needs its group and
     * child handler set; its channel type is chosen here.
     *
     * @param key the config key {@code address} comes from, for messages ({@code listen}, {@code admin}, ...)
     * @throws ListenException naming the key and the descriptor or address when neither works
     */
    public synchronized Channel listen(ServerBootstrap bootstrap, InetSocketAddress address, String name, String key) {
        ListenFds.Inherited socket = claim(name);
        Transport transport = Transport.of(bootstrap.config().group());
        return socket != null ? adopt(bootstrap, transport, socket, address, key) : bind(bootstrap, transport, address, name, key);
    }

    /** Inherited sockets no listener asked for; the daemon logs them, since nothing serves them. */
    public synchronized List<ListenFds.Inherited> unclaimed() {
        List<ListenFds.Inherited> left = new ArrayList<>();
        for (ListenFds.Inherited socket : inherited.sockets()) {
            if (!claimed.contains(socket.fd())) {
                left.add(socket);
            }
        }
        return left;
    }

    private ListenFds.Inherited claim(String name) {
        ListenFds.Inherited unnamed = null;
        for (ListenFds.Inherited socket : unclaimed()) {
            if (socket.name().equals(name)) {
                claimed.add(socket.fd());
                return socket;
            }
            if (unnamed == null && isUnnamed(socket.name())) {
                unnamed = socket;
            }
        }
        if (unnamed != null) {
            claimed.add(unnamed.fd());
        }
        return unnamed;
    }

    /** systemd names a socket "unknown", or after its unit, when FileDescriptorName= is not set. */
    private static boolean isUnnamed(String name) {
        return name.equals(ListenFds.UNNAMED) || name.endsWith(".socket");
    }

    private static Channel adopt(ServerBootstrap bootstrap, Transport transport, ListenFds.Inherited socket,
                                 InetSocketAddress configured, String key) {
        String what = "inherited fd " + socket.fd() + " (" + socket.name() + ")";
        if (!transport.adopts()) {
            throw ListenException.adoptFailed(key, what + ": socket activation needs a native transport (io_uring or "
                    + "epoll), not " + transport, null);
        }
        checkListeningTcp(socket.fd(), what, key);
        ChannelFuture registered = bootstrap.clone()
                .channelFactory(() -> transport.adopt(socket.fd()))
                .register()
                .awaitUninterruptibly();
        if (!registered.isSuccess()) {
            throw ListenException.adoptFailed(key, what + ": cannot adopt: " + registered.cause(), registered.cause());
        }
        Channel channel = registered.channel();
        LOG.log(System.Logger.Level.INFO, "listener {0}: adopted {1} listening on {2} (configured {3} is not bound)",
                socket.name(), what, channel.localAddress(), configured);
        return channel;
    }

    private static void checkListeningTcp(int fd, String what, String key) {
        Socket socket = new Socket(fd);
        try {
            if (socket.getIntOpt(SOL_SOCKET, SO_TYPE) != SOCK_STREAM || socket.getIntOpt(SOL_SOCKET, SO_ACCEPTCONN) != 1
                    || socket.localAddress() == null) {
                throw ListenException.adoptFailed(key, what
                        + " is not a listening TCP socket (check ListenStream= in the socket unit)", null);
            }
        } catch (IOException e) {
            throw ListenException.adoptFailed(key, what + " is not a usable socket: " + e.getMessage(), e);
        }
    }

    private static Channel bind(ServerBootstrap bootstrap, Transport transport, InetSocketAddress address, String name,
                                String key) {
        ChannelFuture bound = bootstrap.clone()
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .bind(address)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw ListenException.bindFailed(key, address, bound.cause());
        }
        LOG.log(System.Logger.Level.INFO, "listener {0}: bound {1}", name, bound.channel().localAddress());
        return bound.channel();
    }
}
