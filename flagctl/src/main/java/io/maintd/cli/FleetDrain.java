package io.maintd.cli;

import io.maintd.fleet.FlagSetting;
import io.maintd.fleet.FleetValue;
import io.maintd.fleet.LogEntry;
import io.maintd.fleet.PoolView;
import io.maintd.fleet.Scope;
import io.maintd.fleet.Txn;
import io.maintd.fleet.TxnResult;
import java.util.Map;

/**
 * A drain guarded by the pool's budget: HOST gets the key {@code flags/host/HOST/drain} only if
 * fewer than N other hosts of the service are out of the pool (in drain, in maint, or lost). The
 * check and the write are one etcd transaction: it reads the pool, then writes the drain key and
 * bumps the service's budget key only if the budget key still has the revision the check saw.
 * Two drainers that checked the same picture cannot both win: the second finds the budget key
 * moved, reads again, and now counts the first one's host.
 */
final class FleetDrain {
    static final String FLAG = "drain";
    /** Each lost race costs one more read; a pool with this many drainers at once is not waiting on us. */
    private static final int ATTEMPTS = 20;

    /** What a drain attempt came to. */
    record Outcome(boolean drained, boolean already, long revision, Map<String, String> holders, int poolSize) {
    }

    private FleetDrain() {
    }

    /**
     * @throws CliFailure NO_HOST for a host the service never had, USAGE for a budget larger than the pool
     */
    static Outcome drain(FleetSession fleet, String service, String host, int maxUnavailable, String reason) {
        String key = fleet.keys.flagKey(Scope.host(host), FLAG);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long now = System.currentTimeMillis();
            PoolView pool = PoolView.of(fleet.keys, service,
                    fleet.await(fleet.client.txn(PoolView.read(fleet.keys, service)), "read the pool " + service), now);
            if (!pool.hosts().contains(host)) {
                throw new CliFailure(ExitCode.NO_HOST, "no host " + host + " in service " + service + (pool.hosts().isEmpty()
                        ? " (no host of it has ever reported)" : " (its hosts: " + String.join(", ", pool.hosts()) + ")"));
            }
            if (maxUnavailable > pool.hosts().size()) {
                throw CliFailure.usage("--max-unavailable " + maxUnavailable + " is larger than the pool " + service + " ("
                        + pool.hosts().size() + " hosts)");
            }
            FlagSetting own = pool.hostKey(host, FLAG);
            if (own != null && own.value().value() > 0) {
                return new Outcome(false, true, own.modRevision(), Map.of(), pool.hosts().size());
            }
            Map<String, String> out = pool.unavailable(host);
            if (out.size() >= maxUnavailable) {
                return new Outcome(false, false, pool.revision(), out, pool.hosts().size());
            }
            FleetValue value = new FleetValue(1, 0, reason, fleet.who(), now);
            TxnResult result = fleet.change(new Txn().ifModRevision(fleet.keys.budgetKey(service), pool.budgetRevision())
                            .thenPut(key, value.encode(), 0)
                            .thenPut(fleet.keys.budgetKey(service), value.encode(), 0),
                    new LogEntry(now, "drain", Scope.host(host).toString(), FLAG, 1, 0, reason, fleet.who()), "drain " + host);
            if (result.succeeded()) {
                return new Outcome(true, false, result.revision(), Map.of(), pool.hosts().size());
            }
        }
        throw new CliFailure(ExitCode.ETCD, "the budget of " + service + " kept changing while draining " + host + "; try again");
    }

    /** The holders, for a refusal: {@code web-2 (drain (key ...)), web-5 (lost (no status))}. */
    static String describe(Map<String, String> holders) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : holders.entrySet()) {
            b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(" (").append(e.getValue()).append(')');
        }
        return b.toString();
    }

    /** Deletes the host's drain key; returns the revision, or 0 when the fleet had not drained it. */
    static long undrain(FleetSession fleet, String host, String reason) {
        return FleetKeyRemoval.remove(fleet, fleet.keys.flagKey(Scope.host(host), FLAG), new LogEntry(System.currentTimeMillis(),
                "undrain", Scope.host(host).toString(), FLAG, 0, 0, reason, fleet.who()));
    }
}
