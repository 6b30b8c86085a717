package io.maintd.proxy;

import io.maintd.net.ConnectionCap;
import io.maintd.net.ListenException;
import io.maintd.net.SocketActivation;
import io.maintd.net.Transport;
import io.maintd.net.UnansweredConnections;
import io.maintd.net.UnsentResponseBytes;
import io.maintd.page.MaintenanceSchedule;
import io.maintd.syntax.AddressSyntax;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The sidecar's listening socket. It owns the reference to the config serving, which {@link #reload}
 * swaps, and the upstream pools; the event loops belong to the caller, who may share them
 * with the admin server.
 */
public final class ProxyServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProxyServer.class.getName());
    /** The FileDescriptorName= of the proxy socket when systemd passes it in. */
    public static final String FD_NAME = "http";

    private final AtomicReference<ServingConfig> serving;
    private final FileDescriptorBudget descriptors;
    /** {@code limits.max-connections} as it applies: configured, or derived from the descriptor limit. */
    private final AtomicInteger maxConnections;
    private final ConnectionCap connections;
    private final UnansweredConnections unanswered;
    private final UnsentResponseBytes unsent;
    private final Channel listener;

    private ProxyServer(AtomicReference<ServingConfig> serving, FileDescriptorBudget descriptors, AtomicInteger maxConnections,
                        ConnectionCap connections, UnansweredConnections unanswered, UnsentResponseBytes unsent,
                        Channel listener) {
        this.serving = serving;
        this.descriptors = descriptors;
        this.maxConnections = maxConnections;
        this.connections = connections;
        this.unanswered = unanswered;
        this.unsent = unsent;
        this.listener = listener;
    }

    /**
     * Starts serving on the socket systemd passed in as {@value #FD_NAME}, else on
     * {@code config.listen()}.
     *
     * @param draining    true while responses should carry {@code Connection: close} so keep-alive
     *                    clients move to another instance
     * @param descriptors decides {@code limits.max-connections} when the config does not, and
     *                    refuses a configured value the descriptor limit cannot hold
     * @throws ListenException naming the address when it cannot be bound
     * @throws io.maintd.config.ConfigException naming {@code limits.max-connections} when it does not fit
     */
    public static ProxyServer start(SocketActivation listeners, ServingConfig initial, EventLoopGroup group,
                                    RequestObserver observer, BooleanSupplier draining, FileDescriptorBudget descriptors) {
        return start(listeners, initial, group, observer, draining, descriptors, () -> MaintenanceSchedule.NONE);
    }

    /** The same, announcing and answering for the maintenance windows {@code schedule} gives (read per response). */
    public static ProxyServer start(SocketActivation listeners, ServingConfig initial, EventLoopGroup group,
                                    RequestObserver observer, BooleanSupplier draining, FileDescriptorBudget descriptors,
                                    Supplier<MaintenanceSchedule> schedule) {
        AtomicReference<ServingConfig> serving = new AtomicReference<>(initial);
        AtomicInteger maxConnections = new AtomicInteger(descriptors.maxConnections(initial.config()));
        ConnectionCap connections = new ConnectionCap(FD_NAME, "limits.max-connections", maxConnections::get);
        UnansweredConnections unanswered = new UnansweredConnections();
        UnsentResponseBytes unsent = new UnsentResponseBytes();
        InetSocketAddress address = initial.config().listen();
        Transport transport = Transport.of(group);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel listening) {
                        // The cap first: a connection it closes at accept is owed no answer.
                        listening.pipeline().addLast(connections, unanswered, unsent);
                    }
                })
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ProxyInitializer(serving::get, observer, draining, new UpstreamPools(transport), schedule));
        ProxyServer server = new ProxyServer(serving, descriptors, maxConnections, connections, unanswered, unsent,
                listeners.listen(bootstrap, address, FD_NAME, "listen"));
        LOG.log(System.Logger.Level.INFO, "proxy listening on " + AddressSyntax.format(server.address())
                + " (" + transport + "), " + server.describeMaxConnections());
        return server;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public ServingConfig serving() {
        return serving.get();
    }

    /** Counts (and closes) connections over {@code limits.max-connections}, for metrics. */
    public ConnectionCap connectionCap() {
        return connections;
    }

    /**
     * Requests that start after this call are served by {@code next}; those in flight finish on
     * the old one. A new {@code limits.max-connections} applies to the next accept; connections
     * already open over a lowered cap are not closed.
     *
     * @throws io.maintd.config.ConfigException naming {@code limits.max-connections} when it does
     *         not fit in the descriptor limit; nothing changes then
     */
    public void reload(ServingConfig next) {
        int max = descriptors.maxConnections(next.config());
        serving.set(next);
        if (maxConnections.getAndSet(max) != max) {
            LOG.log(System.Logger.Level.INFO, "reload: " + describeMaxConnections());
        }
    }

    private String describeMaxConnections() {
        return "max-connections " + maxConnections.get() + (serving.get().limits().maxConnections() == 0
                ? " (derived: RLIMIT_NOFILE " + descriptors.limit() + " less " + FileDescriptorBudget.RESERVED
                + " reserved, halved for a backend connection each)" : "");
    }

    /**
     * Connections accepted that have not had the first byte of an answer yet: a drain waits for
     * them too, since a request on one of them may not have arrived whole yet (see {@link UnansweredConnections}).
     */
    public int unansweredConnections() {
        return unanswered.count();
    }

    /**
     * Bytes of answers written to open connections and not sent yet: a drain waits for them too,
     * since the last bytes of a response to a slow reader are still queued after its request ended
     * (see {@link UnsentResponseBytes}).
     */
    public long unsentResponseBytes() {
        return unsent.count();
    }

    /**
     * Stops accepting connections; open connections keep being served. Once the future is done,
     * every connection accepted before counts in {@link #unansweredConnections()} until its first
     * answer: accepting and closing both run on the listener's event loop.
     */
    public ChannelFuture stopAccepting() {
        return listener.close();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }
}
