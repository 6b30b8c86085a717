package io.maintd.proxy;

import io.maintd.health.ServerHealth;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The servers of one backend in round-robin order, skipping those that are down (see
 * {@link ServerHealth}). When every server is down, the one that failed longest ago is tried
 * anyway, as nginx never marks the last server of a group down: the backend may be back before
 * the next check says so, and a try costs one connect, while a refusal without a try is a
 * sure error. Shared by all event loops.
 */
public final class BackendServers {
    private final String name;
    private final List<ServerHealth> servers;
    private final AtomicInteger next = new AtomicInteger();

    public BackendServers(String name, List<ServerHealth> servers) {
        this.name = name;
        this.servers = List.copyOf(servers);
    }

    public String name() {
        return name;
    }

    /**
     * The next server in turn that is up, preferring one other than {@code avoid} (the server a
     * retry is moving away from); when none is up, the least recently failed, again preferring
     * one other than {@code avoid}.
     */
    public ServerHealth pick(InetSocketAddress avoid) {
        int n = servers.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        ServerHealth fallback = null;
        for (int i = 0; i < n; i++) {
            ServerHealth server = servers.get((start + i) % n);
            if (!server.isUp()) {
                continue;
            }
            if (!server.address().equals(avoid)) {
                return server;
            }
            fallback = server;
        }
        return fallback != null ? fallback : leastRecentlyFailed(avoid);
    }

    private ServerHealth leastRecentlyFailed(InetSocketAddress avoid) {
        ServerHealth best = null;
        for (ServerHealth server : servers) {
            if (best == null || better(server, best, avoid)) {
                best = server;
            }
        }
        return best;
    }

    private static boolean better(ServerHealth candidate, ServerHealth best, InetSocketAddress avoid) {
        boolean candidateAvoided = candidate.address().equals(avoid);
        if (candidateAvoided != best.address().equals(avoid)) {
            return !candidateAvoided;
        }
        if (!candidate.failedEver() || !best.failedEver()) {
            return !candidate.failedEver() && best.failedEver();
        }
        return candidate.lastFailureNanos() - best.lastFailureNanos() < 0;
    }

    /** True when some server is at another address than {@code server}: a retry can go elsewhere. */
    public boolean hasOtherThan(InetSocketAddress server) {
        for (ServerHealth other : servers) {
            if (!other.address().equals(server)) {
                return true;
            }
        }
        return false;
    }

    public boolean allDown() {
        for (ServerHealth server : servers) {
            if (server.isUp()) {
                return false;
            }
        }
        return true;
    }
}
