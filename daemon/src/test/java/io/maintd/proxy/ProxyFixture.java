package io.maintd.proxy;

import io.maintd.config.MaintdConfig;
import io.maintd.config.TransportChoice;
import io.maintd.flagfile.FlagHandle;
import io.maintd.health.BackendHealth;
import io.maintd.net.ListenFds;
import io.maintd.net.SocketActivation;
import io.maintd.net.Transport;
import io.maintd.rules.Router;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * A proxy on an ephemeral loopback port in this JVM, routed by the test's flag file, with the
 * config's backend health checks running (no flag-file counters: there is no daemon lock).
 */
final class ProxyFixture implements AutoCloseable {
    /** Upstream latency is not under test here; the counts are. */
    final TrafficCounters counters = new TrafficCounters(nanos -> { });
    final EventLoopGroup group;
    final BackendHealth health;
    final ProxyServer server;

    ProxyFixture(TestFlags flags, MaintdConfig config) {
        this(flags, config, flags.router());
    }

    /** With the test's own rules, e.g. {@link TestFlags#router(String)}. */
    ProxyFixture(TestFlags flags, MaintdConfig config, Router router) {
        group = transport().newGroup(2, "test-proxy");
        health = BackendHealth.create(group, null);
        BackendHealth.Plan servers = health.plan(config);
        ServingConfig serving = ServingConfig.of(config, router, servers);
        servers.commit();
        FlagHandle drain = flags.reader().handle("drain");
        server = ProxyServer.start(new SocketActivation(ListenFds.none()), serving, group, counters, () -> drain.get() > 0,
                FileDescriptorBudget.ofThisProcess());
    }

    /**
     * What {@code auto} picks (io_uring where the kernel allows it), or the transport named by
     * {@code -Dmaintd.test.transport}: the build runs these tests a second time on epoll, the
     * transport of hosts that refuse io_uring (daemon/pom.xml).
     */
    static Transport transport() {
        return Transport.select(TransportChoice.parse(System.getProperty("maintd.test.transport", "auto")));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    int port() {
        return server.address().getPort();
    }

    @Override
    public void close() {
        server.close();
        health.close();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
