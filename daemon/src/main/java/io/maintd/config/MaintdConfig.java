package io.maintd.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole validated configuration, immutable. A reload builds a new one and swaps it in;
 * nothing holds a half-applied config.
 *
 * @param source             the file it was loaded from (for messages), or null for the built-in demo
 * @param adminAllowedHosts  host names the admin port answers besides localhost and IP literals,
 *                           as {@link HostNameSyntax} stores them ({@code .example.com} for {@code *.example.com})
 * @param adminToken         {@code admin.token}: the bearer token the admin page's actions need, or null when
 *                           they are off (the page is then read-only)
 * @param agent              the HAProxy agent-check address, or null when disabled
 * @param balancersWindow   a peer that probed the agent port or /healthz this recently is a load balancer
 *                          that must notice a change of mode ({@code balancers.window})
 * @param rules    rule definitions in file order, compiled against the flag file separately
 * @param fleet    the etcd the flags are mirrored from, or null for no fleet (the {@code fleet:} key absent)
 * @param transport the {@code transport:} key; a restart applies it
 */
public record MaintdConfig(
        Path source,
        Path flagsFile,
        InetSocketAddress listen,
        InetSocketAddress admin,
        List<String> adminAllowedHosts,
        String adminToken,
        InetSocketAddress agent,
        Map<String, BackendConfig> backends,
        MaintenanceConfig maintenance,
        Limits limits,
        DrainConfig drain,
        Duration balancersWindow,
        List<RuleConfig> rules,
        LogConfig log,
        FleetConfig fleet,
        TransportChoice transport) {

    /** Without a fleet, on the transport {@code auto} picks. */
    public MaintdConfig(Path source, Path flagsFile, InetSocketAddress listen, InetSocketAddress admin,
                        List<String> adminAllowedHosts, String adminToken, InetSocketAddress agent,
                        Map<String, BackendConfig> backends, MaintenanceConfig maintenance, Limits limits,
                        DrainConfig drain, Duration balancersWindow, List<RuleConfig> rules, LogConfig log) {
        this(source, flagsFile, listen, admin, adminAllowedHosts, adminToken, agent, backends, maintenance, limits, drain,
                balancersWindow, rules, log, null, TransportChoice.AUTO);
    }

    /**
     * The {@code fleet:} section (docs/fleet.md).
     *
     * @param etcd           etcd client URLs, tried in order
     * @param leaseTtl       the TTL of the lease the status key lives under
     * @param reportInterval how often a changed status is published
     */
    public record FleetConfig(List<URI> etcd, String prefix, String service, String host, Duration leaseTtl,
                              Duration reportInterval) {
    }

    /**
     * @param format the log line format, and the access log's
     * @param access the access log file, or null when off
     */
    public record LogConfig(Format format, Path access) {
        public enum Format { TEXT, JSON }
    }

    /**
     * @param servers in round-robin order
     * @param check   active health checks of each server, or null when they are off (a server
     *                that refuses a connection is still taken out and probed back in)
     */
    public record BackendConfig(String name, List<InetSocketAddress> servers, CheckConfig check) {
        /** With the default active checks, {@link ConfigDefaults#CHECK}. */
        public BackendConfig(String name, List<InetSocketAddress> servers) {
            this(name, servers, ConfigDefaults.CHECK);
        }
    }

    /**
     * Active health checks, per server, as HAProxy's {@code check inter rise fall}.
     *
     * @param httpPath     null for a TCP connect check, else the path of an HTTP GET
     * @param expectStatus the status an HTTP check must get, or 0 for any 2xx or 3xx
     */
    public record CheckConfig(Duration interval, int rise, int fall, String httpPath, int expectStatus) {
    }

    /**
     * @param page           null serves the built-in page
     * @param retryAfter     Retry-After of the maintenance and shed pages; the cap when the
     *                       {@code maint} flag's end is known
     * @param announce       how long before a scheduled window of {@code maint} responses carry
     *                       {@code announceHeader}; zero for never
     * @param announceHeader the header's name
     * @param wellKnown      whether the proxy answers {@code /.well-known/maintenance} itself
     */
    public record MaintenanceConfig(Path page, int status, Duration retryAfter, Duration announce, String announceHeader,
                                    boolean wellKnown) {
        /** No announcement, no {@code /.well-known/maintenance}. */
        public MaintenanceConfig(Path page, int status, Duration retryAfter) {
            this(page, status, retryAfter, Duration.ZERO, ConfigDefaults.ANNOUNCE_HEADER, false);
        }
    }

    /**
     * @param upstreamMaxIdle idle keep-alive connections kept per backend server in each event
     *                        loop's pool (nginx's {@code keepalive}); 0 closes every connection
     *                        after its response
     * @param headerTimeout   a request head must be complete this long after its first byte (the
     *                        first request of a connection: after the accept)
     * @param bodyTimeout     the longest wait for request body bytes, and the grace of the rate rule
     * @param bodyMinRate     bytes per second a request body must average, counted over the time
     *                        the proxy waits for it; 0 leaves only {@code bodyTimeout}
     * @param maxConnections  open client connections at most; 0 derives it from the descriptor limit
     */
    public record Limits(
            int maxInitialLineLength,
            int maxHeaderSize,
            int maxChunkSize,
            Duration connectTimeout,
            Duration responseTimeout,
            Duration clientIdleTimeout,
            Duration upstreamIdleTimeout,
            Duration backendRetryBackoff,
            int upstreamMaxIdle,
            Duration headerTimeout,
            Duration bodyTimeout,
            int bodyMinRate,
            int maxConnections) {
    }

    /** @param leadTime how long to advertise drain before refusing new connections */
    public record DrainConfig(Duration leadTime, Duration timeout) {
    }

    /**
     * One rule as written. {@code condition} and {@code unless} keep their source text and
     * location so the compiler can name the key and column of an error.
     *
     * @param key       where it sits, e.g. {@code rules[1]}
     * @param condition flag expression ({@code if:}), or null for "always"
     * @param match     request matchers that must all hold, may be empty
     * @param unless    request matchers that exempt a request from this rule, may be empty
     * @param then      what to do: {@code maintenance}, {@code backend: NAME} or {@code shed: FLAG}
     */
    public record RuleConfig(
            String key,
            String condition,
            List<Matcher> match,
            List<Matcher> unless,
            Action then) {

        /**
         * True for the rule that takes every request no rule before it took (HAProxy's
         * {@code default_backend}): no condition, no matcher, and an action that is not a shed
         * (which takes only a share of the requests).
         */
        public boolean catchesAll() {
            return condition == null && match.isEmpty() && unless.isEmpty() && then != null && then.kind() != Action.Kind.SHED;
        }
    }

    /** A request matcher: path prefix, host, method, header equals, or source CIDR. */
    public record Matcher(Kind kind, String name, String value) {
        public enum Kind {
            PATH_PREFIX("path"), HOST("host"), METHOD("method"), HEADER_EQUALS("equals"), SOURCE_CIDR("source");

            private final String key;

            Kind(String key) {
                this.key = key;
            }

            /** The YAML key the value is written under in {@code match:} / {@code unless:}. */
            public String key() {
                return key;
            }
        }
    }

    /** @param argument backend name for BACKEND, flag name for SHED, null for MAINTENANCE */
    public record Action(Kind kind, String argument) {
        /** What a rule's {@code then:} names; the rule compiler turns it into the request's decision. */
        public enum Kind {
            /** {@code then: { backend: NAME }} */
            BACKEND,
            /** {@code then: maintenance} */
            MAINTENANCE,
            /** {@code then: { shed: FLAG }} */
            SHED
        }
    }
}
