package io.maintd.config;

import io.maintd.config.MaintdConfig.BackendConfig;
import io.maintd.config.MaintdConfig.DrainConfig;
import io.maintd.config.MaintdConfig.Limits;
import io.maintd.config.MaintdConfig.LogConfig;
import io.maintd.config.MaintdConfig.MaintenanceConfig;
import io.maintd.config.MaintdConfig.RuleConfig;
import io.maintd.syntax.AddressSyntax;
import io.maintd.syntax.DurationSyntax;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns the YAML tree into a {@link MaintdConfig}, key by key, with the defaults of
 * {@link ConfigDefaults} for what is left out. Problems go to the walk; whatever could not
 * be read takes its default so the rest of the file is still checked.
 */
final class ConfigTreeReader {
    private static final List<String> ROOT_KEYS =
            List.of("flags", "listen", "admin", "agent", "backends", "maintenance", "limits", "drain", "balancers", "rules",
                    "log", "fleet", "transport");
    private static final List<String> FLAGS_KEYS = List.of("file");
    private static final List<String> ADMIN_KEYS = List.of("listen", "allowed-hosts", "token");
    private static final List<String> BACKEND_KEYS = List.of("servers", "check");
    private static final List<String> MAINTENANCE_KEYS =
            List.of("page", "status", "retry-after", "announce", "announce-header", "well-known");
    /** An HTTP field name (RFC 9110 token). */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final List<String> LIMITS_KEYS = List.of("request-line", "header-size", "chunk-size",
            "connect-timeout", "response-timeout", "client-idle-timeout", "upstream-idle-timeout", "retry-backoff",
            "upstream-max-idle", "header-timeout", "body-timeout", "body-min-rate", "max-connections");
    private static final List<String> DRAIN_KEYS = List.of("lead-time", "timeout");
    private static final List<String> BALANCERS_KEYS = List.of("window");
    private static final List<String> LOG_KEYS = List.of("format", "access");
    /** Backend names appear in logs and metric labels, so they stay plain. */
    private static final Pattern BACKEND_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final Path baseDir;

    /** @param baseDir relative paths in the file are taken from here (the config file's directory) */
    ConfigTreeReader(Path baseDir) {
        this.baseDir = baseDir;
    }

    MaintdConfig read(ConfigNode root, Path source) {
        Map<String, ConfigNode> keys = root.mapping(ROOT_KEYS);
        Map<String, ConfigNode> flags = section(keys, "flags", FLAGS_KEYS);
        Map<String, BackendConfig> backends = backends(keys.get("backends"), root);
        List<RuleConfig> rules = new RuleTreeReader().read(keys.get("rules"), backends.keySet());
        InetSocketAddress listen = value(keys.get("listen"), t -> AddressSyntax.parse(t, true), ConfigDefaults.LISTEN);
        // admin: ADDRESS, or the long form admin: { listen: ADDRESS, allowed-hosts: [...], token: ... }
        ConfigNode adminNode = keys.get("admin");
        boolean adminLongForm = adminNode != null && adminNode.isMapping();
        Map<String, ConfigNode> adminKeys = adminLongForm ? adminNode.mapping(ADMIN_KEYS) : Map.of();
        ConfigNode adminListen = adminLongForm ? adminKeys.get("listen") : adminNode;
        InetSocketAddress admin = value(adminListen, t -> AddressSyntax.parse(t, true), ConfigDefaults.ADMIN);
        InetSocketAddress agent = optional(keys.get("agent"), t -> AddressSyntax.parse(t, true));
        refuseSharedPort(adminListen, root, admin, "listen", listen);
        refuseSharedPort(keys.get("agent"), root, agent, "listen", listen);
        refuseSharedPort(keys.get("agent"), root, agent, "admin", admin);
        return new MaintdConfig(
                source,
                value(flags.get("file"), this::path, ConfigDefaults.FLAGS_FILE),
                listen,
                admin,
                hostNames(adminKeys.get("allowed-hosts")),
                optional(adminKeys.get("token"), AdminTokenSyntax::parse),
                agent,
                backends,
                maintenance(section(keys, "maintenance", MAINTENANCE_KEYS)),
                limits(section(keys, "limits", LIMITS_KEYS)),
                drain(section(keys, "drain", DRAIN_KEYS)),
                value(section(keys, "balancers", BALANCERS_KEYS).get("window"), ConfigTreeReader::positiveDuration,
                        ConfigDefaults.BALANCERS_WINDOW),
                rules,
                log(section(keys, "log", LOG_KEYS)),
                new FleetTreeReader().read(keys.get("fleet")),
                value(keys.get("transport"), TransportChoice::parse, TransportChoice.AUTO));
    }

    /**
     * Two listeners on one port fail at bind time with a bare "Address already in use";
     * saying which keys collide is kinder. A wildcard address overlaps every other address.
     */
    private static void refuseSharedPort(ConfigNode node, ConfigNode root, InetSocketAddress a,
                                         String otherKey, InetSocketAddress b) {
        if (a == null || b == null || a.getPort() == 0 || a.getPort() != b.getPort()) {
            return;
        }
        if (a.getAddress().equals(b.getAddress()) || a.getAddress().isAnyLocalAddress() || b.getAddress().isAnyLocalAddress()) {
            (node != null ? node : root).problem("port " + a.getPort() + " is also used by '" + otherKey + "'");
        }
    }

    private static List<String> hostNames(ConfigNode node) {
        if (node == null) {
            return List.of();
        }
        return node.items().stream()
                .map(item -> {
                    String text = item.text();
                    return text == null ? null : HostNameSyntax.normalize(text, item::problem);
                })
                .filter(name -> name != null)
                .toList();
    }

    private static Map<String, ConfigNode> section(Map<String, ConfigNode> parent, String name, List<String> known) {
        ConfigNode node = parent.get(name);
        return node == null ? Map.of() : node.mapping(known);
    }

    private Map<String, BackendConfig> backends(ConfigNode node, ConfigNode root) {
        Map<String, BackendConfig> backends = new LinkedHashMap<>();
        if (node == null) {
            root.problem("missing key 'backends'", "define at least one, e.g. backends: { app: { servers: [127.0.0.1:9001] } }");
            return backends;
        }
        Map<String, ConfigNode> named = node.mapping(null);
        if (named.isEmpty() && !node.isNull()) {
            node.problem("defines no backend");
        }
        for (Map.Entry<String, ConfigNode> e : named.entrySet()) {
            String name = e.getKey();
            if (!BACKEND_NAME.matcher(name).matches()) {
                e.getValue().problem("backend name '" + name + "' must be letters, digits, '.', '_' or '-'");
            }
            Map<String, ConfigNode> backendKeys = e.getValue().mapping(BACKEND_KEYS);
            ConfigNode servers = backendKeys.get("servers");
            if (servers == null && e.getValue().isMapping()) {
                e.getValue().problem("backend '" + name + "' has no 'servers'");
            }
            if (servers == null) {
                continue;
            }
            List<InetSocketAddress> addresses = servers.items().stream()
                    .map(s -> s.parsed(t -> AddressSyntax.parse(t, false)))
                    .filter(a -> a != null)
                    .toList();
            backends.put(name, new BackendConfig(name, addresses, CheckTreeReader.read(backendKeys.get("check"))));
        }
        return backends;
    }

    private LogConfig log(Map<String, ConfigNode> keys) {
        return new LogConfig(value(keys.get("format"), ConfigTreeReader::logFormat, ConfigDefaults.LOG.format()),
                optional(keys.get("access"), this::path));
    }

    private static LogConfig.Format logFormat(String text) {
        return switch (text) {
            case "text" -> LogConfig.Format.TEXT;
            case "json" -> LogConfig.Format.JSON;
            default -> throw new IllegalArgumentException("'" + text + "' is not a log format (text or json)");
        };
    }

    private MaintenanceConfig maintenance(Map<String, ConfigNode> keys) {
        ConfigNode statusNode = keys.get("status");
        int status = value(statusNode, ConfigTreeReader::httpStatus, ConfigDefaults.MAINTENANCE_STATUS);
        return new MaintenanceConfig(
                optional(keys.get("page"), this::path),
                status,
                value(keys.get("retry-after"), ConfigTreeReader::wholeSeconds, ConfigDefaults.RETRY_AFTER),
                value(keys.get("announce"), DurationSyntax::parse, ConfigDefaults.ANNOUNCE),
                value(keys.get("announce-header"), ConfigTreeReader::headerName, ConfigDefaults.ANNOUNCE_HEADER),
                value(keys.get("well-known"), ConfigTreeReader::bool, false));
    }

    private static String headerName(String text) {
        if (!HEADER_NAME.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an HTTP header name (letters, digits and !#$%&'*+.^_`|~-)");
        }
        return text;
    }

    private static boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
        };
    }

    private static Limits limits(Map<String, ConfigNode> keys) {
        Limits d = ConfigDefaults.LIMITS;
        return new Limits(
                value(keys.get("request-line"), ConfigTreeReader::positiveSize, d.maxInitialLineLength()),
                value(keys.get("header-size"), ConfigTreeReader::positiveSize, d.maxHeaderSize()),
                value(keys.get("chunk-size"), ConfigTreeReader::positiveSize, d.maxChunkSize()),
                value(keys.get("connect-timeout"), ConfigTreeReader::positiveDuration, d.connectTimeout()),
                value(keys.get("response-timeout"), ConfigTreeReader::positiveDuration, d.responseTimeout()),
                value(keys.get("client-idle-timeout"), ConfigTreeReader::positiveDuration, d.clientIdleTimeout()),
                value(keys.get("upstream-idle-timeout"), ConfigTreeReader::positiveDuration, d.upstreamIdleTimeout()),
                value(keys.get("retry-backoff"), DurationSyntax::parse, d.backendRetryBackoff()),
                value(keys.get("upstream-max-idle"), ConfigTreeReader::count, d.upstreamMaxIdle()),
                value(keys.get("header-timeout"), ConfigTreeReader::positiveDuration, d.headerTimeout()),
                value(keys.get("body-timeout"), ConfigTreeReader::positiveDuration, d.bodyTimeout()),
                value(keys.get("body-min-rate"), SizeSyntax::parse, d.bodyMinRate()),
                value(keys.get("max-connections"), ConfigTreeReader::positiveCount, d.maxConnections()));
    }

    private static DrainConfig drain(Map<String, ConfigNode> keys) {
        return new DrainConfig(
                value(keys.get("lead-time"), DurationSyntax::parse, ConfigDefaults.DRAIN_LEAD_TIME),
                value(keys.get("timeout"), DurationSyntax::parse, ConfigDefaults.DRAIN_TIMEOUT));
    }

    /** The parsed value, or {@code dflt} when the key is absent or wrong (the problem is reported). */
    static <T> T value(ConfigNode node, Function<String, T> parse, T dflt) {
        if (node == null) {
            return dflt;
        }
        T parsed = node.parsed(parse);
        return parsed != null ? parsed : dflt;
    }

    /** For keys where an empty value means "off" ({@code agent:}) or "built in" ({@code page:}). */
    private static <T> T optional(ConfigNode node, Function<String, T> parse) {
        return node == null || node.isNull() ? null : node.parsed(parse);
    }

    private Path path(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("is an empty path");
        }
        return baseDir.resolve(text).normalize();
    }

    static int httpStatus(String text) {
        int status = integer(text);
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status " + text + " is not an HTTP status from 200 to 599");
        }
        return status;
    }

    /** Retry-After carries whole seconds; rounding an operator's 500ms silently would change what clients see. */
    private static Duration wholeSeconds(String text) {
        Duration d = DurationSyntax.parse(text);
        if (d.isZero() || d.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("'" + text + "': Retry-After is sent in whole seconds, 1s or more");
        }
        return d;
    }

    static Duration positiveDuration(String text) {
        Duration d = DurationSyntax.parse(text);
        if (d.isZero()) {
            throw new IllegalArgumentException("must be more than 0 (a zero timeout would fail every request)");
        }
        return d;
    }

    private static int positiveSize(String text) {
        int size = SizeSyntax.parse(text);
        if (size < 256) {
            throw new IllegalArgumentException("'" + text + "' is too small (at least 256 bytes)");
        }
        return size;
    }

    private static int count(String text) {
        int n = integer(text);
        if (n < 0) {
            throw new IllegalArgumentException("'" + text + "' is negative (0 or more)");
        }
        return n;
    }

    private static int positiveCount(String text) {
        int n = integer(text);
        if (n < 1) {
            throw new IllegalArgumentException("'" + text + "' must be 1 or more");
        }
        return n;
    }

    static int integer(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
    }
}
