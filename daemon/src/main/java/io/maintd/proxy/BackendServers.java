package io.maintd.proxy;

import io.maintd.config.AddressSyntax;
import io.maintd.config.MaintdConfig.BackendConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The servers of one backend in round-robin order. A server whose connection failed is
 * skipped until its back-off passes, then tried again by the next request that reaches it
 * (passive health checking, like HAProxy's {@code observe layer4}). Shared by all event loops.
 */
public final class BackendServers {
    private static final System.Logger LOG = System.getLogger(BackendServers.class.getName());

    private final String name;
    private final List<InetSocketAddress> servers;
    private final long backoffNanos;
    private final AtomicInteger next = new AtomicInteger();
    /** Per server, System.nanoTime() until which it is skipped; 0 when up. */
    private final AtomicLongArray downUntil;

    public BackendServers(BackendConfig config, Duration backoff) {
        this.name = config.name();
        this.servers = List.copyOf(config.servers());
        this.backoffNanos = backoff.toNanos();
        this.downUntil = new AtomicLongArray(servers.size());
    }

    public String name() {
        return name;
    }

    /**
     * The next server in turn that is not backing off, preferring one other than {@code avoid}
     * (the server a retry is moving away from). Null when every server is backing off.
     */
    public InetSocketAddress pick(InetSocketAddress avoid) {
        int n = servers.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        long now = System.nanoTime();
        int fallback = -1;
        for (int i = 0; i < n; i++) {
            int index = (start + i) % n;
            if (!isUp(index, now)) {
                continue;
            }
            if (servers.get(index).equals(avoid)) {
                fallback = index;
                continue;
            }
            return servers.get(index);
        }
        return fallback < 0 ? null : servers.get(fallback);
    }

    /** Skips the server for the back-off period; logged once per transition to down. */
    public void markDown(InetSocketAddress server, Throwable why) {
        int index = servers.indexOf(server);
        if (index < 0) {
            return;
        }
        long now = System.nanoTime();
        long previous = downUntil.getAndSet(index, now + backoffNanos);
        if (previous == 0 || previous - now <= 0) {
            LOG.log(System.Logger.Level.WARNING, "backend " + name + " server " + AddressSyntax.format(server)
                    + " down for " + Duration.ofNanos(backoffNanos).toMillis() + " ms: " + why);
        }
    }

    /** The servers in config order, each with whether it is taken now (not backing off), for {@code /status}. */
    public Map<InetSocketAddress, Boolean> upNow() {
        long now = System.nanoTime();
        Map<InetSocketAddress, Boolean> states = new LinkedHashMap<>();
        for (int i = 0; i < servers.size(); i++) {
            states.put(servers.get(i), isUp(i, now));
        }
        return states;
    }

    public boolean allDown() {
        long now = System.nanoTime();
        for (int i = 0; i < servers.size(); i++) {
            if (isUp(i, now)) {
                return false;
            }
        }
        return true;
    }

    private boolean isUp(int index, long now) {
        long until = downUntil.get(index);
        return until == 0 || until - now <= 0;
    }
}
