package io.maintd.config;

import io.maintd.config.MaintdConfig.FleetConfig;
import io.maintd.fleet.EtcdEndpoints;
import io.maintd.fleet.FleetKeys;
import io.maintd.syntax.DurationSyntax;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code fleet:} section: absent means no fleet. {@code etcd} and {@code service} are then
 * required; {@code host} defaults to the machine's hostname (the kernel's, not a DNS lookup).
 */
final class FleetTreeReader {
    private static final List<String> KEYS = List.of("etcd", "prefix", "service", "host", "lease-ttl", "report-interval");
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    FleetConfig read(ConfigNode node) {
        if (node == null) {
            return null;
        }
        Map<String, ConfigNode> keys = node.mapping(KEYS);
        if (!node.isMapping()) {
            return null;
        }
        List<URI> etcd = List.of();
        if (keys.get("etcd") == null) {
            node.problem("missing key 'etcd'", "list etcd's client URLs, e.g. etcd: [http://127.0.0.1:2379]");
        } else {
            etcd = keys.get("etcd").items().stream().map(n -> n.parsed(EtcdEndpoints::parse)).filter(u -> u != null).toList();
        }
        String prefix = name(keys.get("prefix"), FleetKeys::prefixProblem, ConfigDefaults.FLEET_PREFIX);
        String service = null;
        if (keys.get("service") == null) {
            node.problem("missing key 'service'", "name this host's pool, e.g. service: web");
        } else {
            service = name(keys.get("service"), s -> FleetKeys.nameProblem("service", s), null);
        }
        String host = keys.get("host") != null ? name(keys.get("host"), h -> FleetKeys.nameProblem("host", h), null)
                : machineHostname(node);
        Duration ttl = duration(keys.get("lease-ttl"), ConfigDefaults.FLEET_LEASE_TTL, FleetTreeReader::leaseTtl);
        Duration interval = duration(keys.get("report-interval"), ConfigDefaults.FLEET_REPORT_INTERVAL, FleetTreeReader::interval);
        if (interval.compareTo(ttl) >= 0) {
            (keys.get("report-interval") != null ? keys.get("report-interval") : node).problem(
                    "report-interval " + interval.toMillis() + "ms must be shorter than lease-ttl " + ttl.toSeconds() + "s");
        }
        return new FleetConfig(etcd, prefix, service, host, ttl, interval);
    }

    private interface Grammar {
        String problem(String text);
    }

    private static String name(ConfigNode node, Grammar grammar, String dflt) {
        if (node == null) {
            return dflt;
        }
        String parsed = node.parsed(text -> {
            String problem = grammar.problem(text.strip());
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            return text.strip();
        });
        return parsed != null ? parsed : dflt;
    }

    private static Duration duration(ConfigNode node, Duration dflt, Function<String, Duration> parse) {
        if (node == null) {
            return dflt;
        }
        Duration parsed = node.parsed(parse);
        return parsed != null ? parsed : dflt;
    }

    /** etcd leases are whole seconds, and shorter than 2 s is below etcd's own minimum TTL. */
    private static Duration leaseTtl(String text) {
        Duration d = DurationSyntax.parse(text);
        if (d.toMillis() % 1000 != 0 || d.toSeconds() < 2) {
            throw new IllegalArgumentException("'" + text + "': a lease TTL is whole seconds, 2s or more");
        }
        return d;
    }

    private static Duration interval(String text) {
        Duration d = DurationSyntax.parse(text);
        if (d.toMillis() < 100) {
            throw new IllegalArgumentException("'" + text + "' is too short (100ms or more)");
        }
        return d;
    }

    private static String machineHostname(ConfigNode node) {
        String hostname;
        try {
            hostname = Files.readString(KERNEL_HOSTNAME).strip();
        } catch (IOException e) {
            node.problem("cannot read this machine's hostname from " + KERNEL_HOSTNAME, "set fleet.host");
            return null;
        }
        String problem = FleetKeys.nameProblem("host", hostname);
        if (problem != null) {
            node.problem("this machine's hostname cannot name it in the fleet: " + problem, "set fleet.host");
            return null;
        }
        return hostname;
    }
}
