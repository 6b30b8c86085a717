package io.maintd.config;

import io.maintd.flagfile.FlagFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What an optional key means when it is left out. Documented key by key in docs/config.md;
 * the values follow what operators know from nginx and HAProxy.
 */
public final class ConfigDefaults {
    public static final Path FLAGS_FILE = Path.of(FlagFile.DEFAULT_PATH);
    /** Every interface, as nginx's listen: the load balancer in front must reach it. */
    public static final InetSocketAddress LISTEN = new InetSocketAddress(8080);
    /** Loopback only: metrics and flag state are not for the internet. */
    public static final InetSocketAddress ADMIN = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9090);

    public static final int MAINTENANCE_STATUS = 503;
    public static final Duration RETRY_AFTER = Duration.ofSeconds(120);
    /** Off: announcing a window is a promise to clients, so it is the operator's choice to make. */
    public static final Duration ANNOUNCE = Duration.ZERO;
    /** Prefixed with the product, like HAProxy's and Envoy's own response headers; no "X-" (RFC 6648). */
    public static final String ANNOUNCE_HEADER = "Maintd-Maintenance";

    /** nginx's default request line buffer. */
    public static final int REQUEST_LINE = 8 * 1024;
    /** Envoy and nginx both allow tens of KiB of headers; 16k covers large cookies without inviting abuse. */
    public static final int HEADER_SIZE = 16 * 1024;
    /** Largest body piece handed on at once; bounds memory per read, never refuses a body. */
    public static final int CHUNK_SIZE = 8 * 1024;
    /** HAProxy's usual "timeout connect 5s": a local backend that takes longer is not coming. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** nginx proxy_read_timeout. */
    public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    /** Between requests on a keep-alive connection: nginx's keepalive_timeout territory. */
    public static final Duration CLIENT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /**
     * HAProxy's usual "timeout http-request 10s" (nginx's client_header_timeout is 60s): a
     * browser sends its whole head in one packet, so 10 s only ever cuts a stalled or hostile one.
     */
    public static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Apache mod_reqtimeout's defaults ({@code body=20,MinRate=500}): a body may stall up to 20 s,
     * and must average 500 bytes/s over the time the proxy waits for it after that grace. A
     * per-read timeout alone (nginx's client_body_timeout) lets a client hold a connection and
     * its backend connection forever with one byte per timeout.
     */
    public static final Duration BODY_TIMEOUT = Duration.ofSeconds(20);
    public static final int BODY_MIN_RATE = 500;
    /** Derived at start from the descriptor limit (see {@code FileDescriptorBudget}). */
    public static final int MAX_CONNECTIONS = 0;
    /**
     * Below nginx's 60s on purpose: an idle pooled connection must be dropped by us before the
     * backend drops it, or a reused connection can die under a request.
     */
    public static final Duration UPSTREAM_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The longest wait between probes of a server that refused a connection (they start at
     * 100 ms and double). Not nginx's 10 s fail_timeout: a backend restart of half a second
     * must not become 10 s of errors.
     */
    public static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    /**
     * HAProxy does not cap its idle server connections by default; a cap far above any one loop's
     * concurrency keeps that behaviour (idle connections never outnumber the requests that were in
     * flight at once) while bounding descriptors after a spike. A cap below the concurrency makes
     * every release past it a close and every request past it a connect: 128 did that to 16 % of
     * requests at 256 client connections on one loop.
     */
    public static final int UPSTREAM_MAX_IDLE = 1024;

    public static final MaintdConfig.Limits LIMITS = new MaintdConfig.Limits(REQUEST_LINE, HEADER_SIZE, CHUNK_SIZE,
            CONNECT_TIMEOUT, RESPONSE_TIMEOUT, CLIENT_IDLE_TIMEOUT, UPSTREAM_IDLE_TIMEOUT, RETRY_BACKOFF,
            UPSTREAM_MAX_IDLE, HEADER_TIMEOUT, BODY_TIMEOUT, BODY_MIN_RATE, MAX_CONNECTIONS);

    /** HAProxy's {@code check} defaults: {@code inter 2s rise 2 fall 3}, a TCP connect without {@code option httpchk}. */
    public static final MaintdConfig.CheckConfig CHECK = new MaintdConfig.CheckConfig(Duration.ofSeconds(2), 2, 3, null, 0);

    public static final Duration DRAIN_LEAD_TIME = Duration.ZERO;
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final MaintdConfig.DrainConfig DRAIN = new MaintdConfig.DrainConfig(DRAIN_LEAD_TIME, DRAIN_TIMEOUT);
    /** Text lines; no access log, as HAProxy logs nothing unless asked (nginx's is on by default). */
    public static final MaintdConfig.LogConfig LOG = new MaintdConfig.LogConfig(MaintdConfig.LogConfig.Format.TEXT, null);

    /**
     * "Every balancer that probed in the last minute" (issue 15): many times HAProxy's default
     * {@code agent-inter}/{@code inter} of 2 s, so one lost probe never drops a balancer from the
     * count, and a balancer removed from the pool of load balancers stops counting after a minute.
     */
    public static final Duration BALANCERS_WINDOW = Duration.ofMinutes(1);
    /** The fleet's keys live under this etcd prefix unless {@code fleet.prefix} says otherwise. */
    public static final String FLEET_PREFIX = "/maintd";
    /**
     * A dead host's status key vanishes at most this long after its last keep-alive (sent every
     * third of it); etcd's own clients and Kubernetes' node leases (40 s) are in this range.
     */
    public static final Duration FLEET_LEASE_TTL = Duration.ofSeconds(10);
    /** A changed status (mode, in-flight, connections) reaches etcd within this long. */
    public static final Duration FLEET_REPORT_INTERVAL = Duration.ofSeconds(1);

    private ConfigDefaults() {
    }
}
