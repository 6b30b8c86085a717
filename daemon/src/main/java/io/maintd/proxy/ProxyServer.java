package io.maintd.proxy;

import io.maintd.config.AddressSyntax;
import io.maintd.lifecycle.ListenException;
import io.maintd.lifecycle.SocketActivation;
import io.maintd.lifecycle.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The sidecar's listening socket. It owns the live config reference that {@link #reload}
 * swaps, and the upstream pools; the event loops belong to the caller, who may share them
 * with the admin server.
 */
public final class ProxyServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProxyServer.class.getName());
    /** The FileDescriptorName= of the proxy socket when systemd passes it in. */
    public static final String FD_NAME = "http";

    private final AtomicReference<LiveConfig> live;
    private final Channel listener;

    private ProxyServer(AtomicReference<LiveConfig> live, Channel listener) {
        this.live = live;
        this.listener = listener;
    }

    /**
     * Starts serving on the socket systemd passed in as {@value #FD_NAME}, else on
     * {@code config.listen()}.
     *
     * @param draining true while responses should carry {@code Connection: close} so keep-alive
     *                 clients move to another instance
     * @throws ListenException naming the address when it cannot be bound
     */
    public static ProxyServer start(SocketActivation listeners, LiveConfig initial, EventLoopGroup group,
                                    RequestObserver observer, BooleanSupplier draining) {
        AtomicReference<LiveConfig> live = new AtomicReference<>(initial);
        InetSocketAddress address = initial.config().listen();
        Transport transport = Transport.of(group);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ProxyInitializer(live::get, observer, draining, new UpstreamPools(transport)));
        ProxyServer server = new ProxyServer(live, listeners.listen(bootstrap, address, FD_NAME, "listen"));
        LOG.log(System.Logger.Level.INFO, "proxy listening on " + AddressSyntax.format(server.address())
                + " (" + transport.name().toLowerCase(Locale.ROOT) + ")");
        return server;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public LiveConfig live() {
        return live.get();
    }

    /** Requests that start after this call are served by {@code next}; those in flight finish on the old one. */
    public void reload(LiveConfig next) {
        live.set(next);
    }

    /** Stops accepting connections; open connections keep being served. */
    public ChannelFuture stopAccepting() {
        return listener.close();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }
}
