package io.maintd.fleet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One service's pool as etcd holds it at one revision: who belongs to it (member keys), what each
 * host last reported (status keys, gone for a lost host), the flag keys that apply to its hosts,
 * and the budget key whose revision guards drains. Read by one transaction ({@link #read}), so
 * the drain budget is judged on a consistent picture, and the drain's write compares the budget
 * key's revision against the one seen here.
 */
public final class PoolView {
    private final String service;
    private final long revision;
    private final long budgetRevision;
    private final SortedSet<String> hosts = new TreeSet<>();
    private final Map<String, HostStatus> statuses = new HashMap<>();
    private final Map<String, String> unreadable = new HashMap<>();
    private final List<FlagSetting> settings = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final long nowMillis;

    private PoolView(String service, long revision, long budgetRevision, long nowMillis) {
        this.service = service;
        this.revision = revision;
        this.budgetRevision = budgetRevision;
        this.nowMillis = nowMillis;
    }

    /** The transaction that reads everything a pool view needs, at one revision. */
    public static Txn read(FleetKeys keys, String service) {
        return new Txn().thenRangePrefix(keys.memberPrefix(service)).thenRangePrefix(keys.statusPrefix(service))
                .thenRangePrefix(keys.flagPrefix(Scope.all())).thenRangePrefix(keys.flagPrefix(Scope.service(service)))
                .thenRangePrefix(keys.flagsRoot() + Scope.Level.HOST.word() + "/").thenRangeKey(keys.budgetKey(service));
    }

    /** Builds the view from {@link #read}'s result; malformed keys are skipped and listed in {@link #problems()}. */
    public static PoolView of(FleetKeys keys, String service, TxnResult result, long nowMillis) {
        List<RangeResult> r = result.ranges();
        List<KeyValue> budget = r.get(5).kvs();
        PoolView pool = new PoolView(service, result.revision(), budget.isEmpty() ? 0 : budget.get(0).modRevision(), nowMillis);
        for (KeyValue kv : r.get(0).kvs()) {
            pool.host(keys, kv, keys.membersRoot());
        }
        for (KeyValue kv : r.get(1).kvs()) {
            String host = pool.host(keys, kv, keys.statusRoot());
            if (host != null) {
                try {
                    pool.statuses.put(host, HostStatus.decode(kv.value()));
                } catch (IllegalArgumentException e) {
                    pool.unreadable.put(host, e.getMessage());
                    pool.problems.add("status of " + host + " is unreadable: " + e.getMessage());
                }
            }
        }
        for (int i = 2; i <= 4; i++) {
            for (KeyValue kv : r.get(i).kvs()) {
                try {
                    pool.settings.add(new FlagSetting(kv.key(), keys.parseFlagKey(kv.key()), FleetValue.decode(kv.value()),
                            kv.modRevision()));
                } catch (IllegalArgumentException e) {
                    pool.problems.add("skipping " + e.getMessage());
                }
            }
        }
        return pool;
    }

    private String host(FleetKeys keys, KeyValue kv, String root) {
        try {
            String host = keys.parseHostKey(kv.key(), root).host();
            hosts.add(host);
            return host;
        } catch (IllegalArgumentException e) {
            problems.add("skipping " + e.getMessage());
            return null;
        }
    }

    public String service() {
        return service;
    }

    /** The revision the view was read at. */
    public long revision() {
        return revision;
    }

    /** The budget key's mod revision, 0 when no drain ever happened: the drain's compare-and-swap guard. */
    public long budgetRevision() {
        return budgetRevision;
    }

    /** Every host that ever reported in this service, by name. */
    public SortedSet<String> hosts() {
        return hosts;
    }

    /** The host's last report; null for a lost host (its lease ended) or an unreadable one. */
    public HostStatus status(String host) {
        return statuses.get(host);
    }

    public List<String> problems() {
        return problems;
    }

    /** The flag keys that apply to {@code host}, the winner per flag. */
    public Map<String, FlagSetting> effective(String host) {
        Set<Scope> scopes = Set.of(Scope.all(), Scope.service(service), Scope.host(host));
        List<FlagSetting> mine = new ArrayList<>();
        for (FlagSetting s : settings) {
            if (scopes.contains(s.scope())) {
                mine.add(s);
            }
        }
        return FlagPrecedence.effective(mine, nowMillis);
    }

    /** The host's own key for {@code flag}, or null. */
    public FlagSetting hostKey(String host, String flag) {
        for (FlagSetting s : settings) {
            if (s.scope().equals(Scope.host(host)) && s.flag().equals(flag)) {
                return s;
            }
        }
        return null;
    }

    /**
     * The hosts other than {@code except} that are out of the pool, each with why: a fleet key
     * puts it in maint or drain, it reports maint or drain, or it is lost (its status is gone or
     * unreadable). A local {@code flagctl set drain 1} counts once the host reports it.
     */
    public Map<String, String> unavailable(String except) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String host : hosts) {
            if (host.equals(except)) {
                continue;
            }
            String why = whyUnavailable(host);
            if (why != null) {
                out.put(host, why);
            }
        }
        return out;
    }

    private String whyUnavailable(String host) {
        Map<String, FlagSetting> keys = effective(host);
        for (String flag : List.of("maint", "drain")) {
            FlagSetting s = keys.get(flag);
            if (s != null && s.value().value() > 0) {
                return flag + " (key " + s.etcdKey() + ")";
            }
        }
        if (unreadable.containsKey(host)) {
            return "status unreadable";
        }
        HostStatus status = statuses.get(host);
        if (status == null) {
            return "lost (no status)";
        }
        return status.unavailable() ? status.mode() + " (reported)" : null;
    }
}
