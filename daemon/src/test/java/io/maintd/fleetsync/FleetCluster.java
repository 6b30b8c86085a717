package io.maintd.fleetsync;

import io.maintd.agent.ClientLoad;
import io.maintd.testsupport.HaproxyProcess;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import io.maintd.fleet.CutProxy;
import io.maintd.fleet.EtcdProcess;
import io.maintd.testsupport.FlagctlRun;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The test bed: a real etcd, maintd processes h1..hN of service web (each with its own
 * flag file, backend and agent port, and its own {@link CutProxy} to etcd so one host can be cut
 * off), and a real HAProxy in front of them with agent-check.
 */
final class FleetCluster implements AutoCloseable {
    static final Duration SETTLE = Duration.ofSeconds(60);

    final EtcdProcess etcd;
    final List<FleetHost> hosts = new ArrayList<>();
    final List<CutProxy> proxies = new ArrayList<>();
    private final List<HeldBackend> backends = new ArrayList<>();
    HaproxyProcess haproxy;
    int front;

    private FleetCluster(EtcdProcess etcd) {
        this.etcd = etcd;
    }

    /** @param fleetExtra more keys of the {@code fleet:} section, indented two spaces, each ending in a newline */
    static FleetCluster start(Path dir, int size, String fleetExtra) throws Exception {
        FleetCluster cluster = new FleetCluster(EtcdProcess.start(dir.resolve("etcd")));
        try {
            StringBuilder servers = new StringBuilder();
            for (int i = 1; i <= size; i++) {
                String name = "h" + i;
                HeldBackend backend = new HeldBackend(name);
                cluster.backends.add(backend);
                CutProxy proxy = new CutProxy(cluster.etcd.endpoint());
                cluster.proxies.add(proxy);
                FleetHost host = new FleetHost(dir, name, "web", List.of(proxy.endpoint()), backend.port(), "agent: AGENT\n",
                        fleetExtra).start();
                cluster.hosts.add(host);
                servers.append("    server ").append(name).append(" 127.0.0.1:").append(host.maintd.port("http"))
                        .append(" weight 100 check inter 200ms agent-check agent-port ").append(host.maintd.port("agent"))
                        .append(" agent-inter 200ms\n");
            }
            cluster.front = MaintdProcess.freePort();
            cluster.haproxy = HaproxyProcess.start(dir, "frontend www\n"
                    + "    bind 127.0.0.1:" + cluster.front + "\n"
                    + "    default_backend app\n"
                    + "backend app\n"
                    + "    balance roundrobin\n"
                    // weight 100: the agent's "ready NN%" is a share of it (of weight 1 it would round to 0).
                    // Only a refused connect is retried (on another server): a request that reached
                    // maintd and lost its answer would be a failure here, not hidden by a retry.
                    + "    option redispatch\n"
                    + "    retries 3\n"
                    + "    retry-on conn-failure\n"
                    + servers);
            for (FleetHost host : cluster.hosts) {
                host.maintd.awaitLog("fleet: connected to");
                cluster.haproxy.awaitServerStatus("app", host.name, "UP", SETTLE);
            }
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    FleetHost host(String name) {
        return hosts.stream().filter(h -> h.name.equals(name)).findFirst().orElseThrow();
    }

    CutProxy proxyOf(FleetHost host) {
        return proxies.get(hosts.indexOf(host));
    }

    ClientLoad load(int clients) {
        return ClientLoad.start(URI.create("http://127.0.0.1:" + front + "/"), clients);
    }

    /** {@code bin/flagctl fleet --etcd ETCD ARGS...}, as an operator runs it. */
    FlagctlRun fleet(String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("fleet", "--etcd", etcd.endpoint().toString()));
        line.addAll(List.of(args));
        return FlagctlRun.run(hosts.get(0).flags(), line.toArray(new String[0]));
    }

    void awaitHaproxy(String server, String status) throws Exception {
        haproxy.awaitServerStatus("app", server, status, SETTLE);
    }

    @Override
    public void close() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
        for (FleetHost host : hosts) {
            host.close();
        }
        for (CutProxy proxy : proxies) {
            proxy.close();
        }
        for (HeldBackend backend : backends) {
            backend.close();
        }
        etcd.close();
    }
}
