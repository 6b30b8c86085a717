package io.maintd.health;

import io.maintd.config.MaintdConfig;
import io.maintd.config.MaintdConfig.Action;
import io.maintd.config.MaintdConfig.BackendConfig;
import io.maintd.config.MaintdConfig.CheckConfig;
import io.maintd.config.MaintdConfig.RuleConfig;
import io.maintd.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every backend server's health, for as long as the process runs: a reload keeps the state of
 * the servers it keeps (by backend name and address), starts checking the ones it adds and
 * stops the ones it drops.
 *
 * <p>All checks of all servers run on one event loop of the shared group. A check is a
 * connect, maybe a short write and read, every couple of seconds per server; one loop carries
 * that easily, and one writer means state, log lines and counters change in one order.
 *
 * <p>A config goes live in two steps, so that a reload that fails leaves everything as it was:
 * {@link #plan} gives the servers' health objects for the new config (existing ones reused, new
 * ones idle) and defines its flag-file counters, so its rules can be compiled against them;
 * {@link Plan#commit} then starts and stops checks.
 */
public final class BackendHealth implements DefaultBackend, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BackendHealth.class.getName());

    /** A server as the config names it: the same address in two backends is checked twice, as HAProxy does. */
    private record Key(String backend, InetSocketAddress address) {
    }

    /** One backend as {@code /status} and the metrics show it. */
    public record BackendView(String name, boolean isDefault, String check, List<ServerHealth> servers) {
    }

    /** What the committed config serves. */
    private record Serving(Map<String, List<ServerChecker>> backends, Map<String, String> checks, String defaultBackend) {
    }

    private final EventLoop loop;
    private final Bootstrap base;
    private final BackendCounters counters;
    /** Every checker in use; changed only under this object's lock. */
    private final Map<Key, ServerChecker> checkers = new HashMap<>();
    private volatile Serving serving = new Serving(Map.of(), Map.of(), null);

    private BackendHealth(EventLoop loop, Bootstrap base, BackendCounters counters) {
        this.loop = loop;
        this.base = base;
        this.counters = counters;
    }

    /**
     * Checks nothing until a plan is committed.
     *
     * @param counters where to publish counts in the flag file, or null for nowhere (a proxy without a daemon)
     */
    public static BackendHealth create(EventLoopGroup group, BackendCounters counters) {
        EventLoop loop = group.next();
        Bootstrap base = new Bootstrap()
                .group(loop)
                .channel(Transport.of(group).clientChannel())
                .option(ChannelOption.TCP_NODELAY, true);
        return new BackendHealth(loop, base, counters);
    }

    /** The servers of {@code config} with their health, and its counters defined; nothing is checked yet. */
    public synchronized Plan plan(MaintdConfig config) {
        if (counters != null) {
            counters.define(config.backends().keySet());
        }
        Map<String, List<ServerChecker>> backends = new LinkedHashMap<>();
        Map<Key, ServerChecker> fresh = new HashMap<>();
        for (BackendConfig backend : config.backends().values()) {
            List<ServerChecker> servers = new ArrayList<>();
            for (InetSocketAddress address : backend.servers()) {
                Key key = new Key(backend.name(), address);
                ServerChecker checker = checkers.get(key);
                if (checker == null) {
                    checker = fresh.computeIfAbsent(key, k -> new ServerChecker(k.backend(), k.address(), loop, base,
                            this::onChange));
                }
                servers.add(checker);
            }
            backends.put(backend.name(), List.copyOf(servers));
        }
        return new Plan(config, backends, fresh);
    }

    /** A config's servers, ready to go live with {@link #commit}. */
    public final class Plan {
        private final MaintdConfig config;
        private final Map<String, List<ServerChecker>> backends;
        private final Map<Key, ServerChecker> fresh;

        private Plan(MaintdConfig config, Map<String, List<ServerChecker>> backends, Map<Key, ServerChecker> fresh) {
            this.config = config;
            this.backends = backends;
            this.fresh = fresh;
        }

        /** The health of each server of {@code backend}, in config order. */
        public List<ServerHealth> servers(String backend) {
            return backends.get(backend).stream().map(ServerChecker::health).toList();
        }

        /** Starts checking what the config adds, stops what it drops, applies changed settings. */
        public void commit() {
            synchronized (BackendHealth.this) {
                checkers.putAll(fresh);
                List<ServerChecker> dropped = new ArrayList<>();
                checkers.entrySet().removeIf(e -> {
                    List<ServerChecker> kept = backends.get(e.getKey().backend());
                    boolean drop = kept == null || !kept.contains(e.getValue());
                    if (drop) {
                        dropped.add(e.getValue());
                    }
                    return drop;
                });
                Map<String, String> checks = new HashMap<>();
                config.backends().forEach((name, backend) -> checks.put(name, describe(backend.check())));
                serving = new Serving(backends, checks, defaultBackend(config));
                Duration backoff = config.limits().backendRetryBackoff();
                loop.execute(() -> {
                    dropped.forEach(ServerChecker::stop);
                    for (BackendConfig backend : config.backends().values()) {
                        List<ServerChecker> servers = backends.get(backend.name());
                        for (int i = 0; i < servers.size(); i++) {
                            // HAProxy's spread: the first checks of a backend's servers are spaced over one interval.
                            long first = backend.check() == null ? 0 : backend.check().interval().toNanos() * i / servers.size();
                            servers.get(i).configure(backend.check(), backoff, first);
                        }
                    }
                    publish();
                });
            }
        }
    }

    /** The check as {@code /status} shows it, e.g. {@code tcp every 2000 ms, rise 2, fall 3}. */
    private static String describe(CheckConfig check) {
        if (check == null) {
            return "off";
        }
        String kind = check.httpPath() == null ? "tcp" : "http GET " + check.httpPath()
                + (check.expectStatus() == 0 ? "" : " expect " + check.expectStatus());
        return kind + " every " + check.interval().toMillis() + " ms, rise " + check.rise() + ", fall " + check.fall();
    }

    /** The backend of the catch-all rule, or null when that rule serves the maintenance page. */
    private static String defaultBackend(MaintdConfig config) {
        for (RuleConfig rule : config.rules()) {
            if (rule.catchesAll()) {
                return rule.then().kind() == Action.Kind.BACKEND ? rule.then().argument() : null;
            }
        }
        return null;
    }

    @Override
    public String downReason() {
        Serving now = serving;
        List<ServerChecker> servers = now.defaultBackend == null ? null : now.backends.get(now.defaultBackend);
        if (servers == null) {
            return null;
        }
        for (ServerChecker server : servers) {
            if (server.health().isUp()) {
                return null;
            }
        }
        ServerHealth first = servers.get(0).health();
        return ProbeFailure.printable("backend " + now.defaultBackend + " has no server up ("
                + (servers.size() == 1 ? "" : servers.size() + " down; ") + first.label() + ": " + first.reason() + ")");
    }

    /** The serving config's backends, in config order. */
    public List<BackendView> view() {
        Serving now = serving;
        List<BackendView> out = new ArrayList<>();
        now.backends.forEach((name, servers) -> out.add(new BackendView(name, name.equals(now.defaultBackend),
                now.checks.get(name),
                servers.stream().map(ServerChecker::health).toList())));
        return out;
    }

    /** On the health loop, once per transition. */
    private void onChange(ServerHealth.Change change) {
        ServerHealth server = change.server();
        String where = "backend " + server.backend() + " server " + server.label();
        if (change.up()) {
            LOG.log(System.Logger.Level.INFO, where + " down -> up after " + change.previousForMillis() + " ms: "
                    + change.reason());
        } else {
            LOG.log(System.Logger.Level.WARNING, where + " up -> down: " + change.reason());
        }
        publish();
    }

    private void publish() {
        if (counters == null) {
            return;
        }
        Map<String, List<ServerHealth>> byBackend = new LinkedHashMap<>();
        serving.backends.forEach((name, servers) -> byBackend.put(name, servers.stream().map(ServerChecker::health).toList()));
        counters.publish(byBackend);
    }

    /** Stops every check; pending ones end on their own as the loop shuts down. */
    @Override
    public void close() {
        synchronized (this) {
            List<ServerChecker> all = new ArrayList<>(checkers.values());
            checkers.clear();
            if (!loop.isShuttingDown()) {
                loop.execute(() -> all.forEach(ServerChecker::stop));
            }
        }
    }
}
