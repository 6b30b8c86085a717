package io.maintd.flagfile;

/**
 * The flags and counters every maintd flag file has: their names are the file's contract
 * beyond its layout, as Aeron's {@code AeronCounters} is for its counters file, so the daemon,
 * flagctl, rules and scripts name them from here. {@link Mode#of} says what {@code maint} and
 * {@code drain} mean; {@link FlagFileLayout#nameProblem} is the grammar every name follows.
 *
 * <p>The daemon defines the ones that are missing at start ({@link #defineMissing}); existing
 * values are left alone, so a host rebooted in maintenance comes back in maintenance.
 */
public final class StandardFlags {
    public static final String MAINT = "maint";
    public static final String DRAIN = "drain";
    /** Percentage 0–100 of requests to shed. */
    public static final String SHED = "shed";
    /** Percentage 0–100 reported to HAProxy's agent-check. */
    public static final String WEIGHT = "weight";
    /**
     * The {@code weight} a new file starts with, and the most an agent-check reply says: HAProxy
     * weights are relative to the configured one, so 100% means "as configured".
     */
    public static final int FULL_WEIGHT = 100;

    /** Open client connections, published by the daemon. */
    public static final String CONNS = "conns";
    /** Requests received and not yet answered completely, published by the daemon. */
    public static final String INFLIGHT = "inflight";
    /** Requests answered since the daemon started, published by the daemon. */
    public static final String REQUESTS = "requests";
    /** The mode the daemon answers (0 ready, 1 drain, 2 maint); see {@link ModeNotice}. */
    public static final String MODE = ModeNotice.MODE;
    /** Whether the load balancers noticed the mode (1, 0 pending, -1 none probing); see {@link ModeNotice}. */
    public static final String NOTICED = ModeNotice.NOTICED;
    /** How many balancers probed within the window; see {@link ModeNotice}. */
    public static final String BALANCERS = ModeNotice.BALANCERS;
    /** The config generation serving: 1 at start, plus one per applied reload; published by the daemon. */
    public static final String CONFIG_GENERATION = "config.generation";
    /** Reloads rejected since the daemon started, published by the daemon; {@code maintd reload} waits on both. */
    public static final String CONFIG_REJECTIONS = "config.rejections";

    /** Backends with at least one server up, published by the daemon's health checks. */
    public static final String BACKENDS_UP = "backends_up";
    /** Followed by a backend's name: how many of its servers are up, published by the daemon's health checks. */
    public static final String SERVERS_UP_PREFIX = "servers_up.";

    // Load facts, published by the daemon on each monitor tick (LoadFacts); docs/flagfile.md gives unit and window.
    /** Requests answered in the last second. */
    public static final String RPS = "rps";
    /** Upstream latency (request sent to response head), median over the last 10 s, in ms. */
    public static final String LATENCY_P50_MS = "latency_p50_ms";
    /** Upstream latency, 99th percentile over the last 10 s, in ms. */
    public static final String LATENCY_P99_MS = "latency_p99_ms";
    /** Upstream 5xx and the proxy's own error responses in the last second. */
    public static final String ERRORS_PS = "errors_ps";
    /** The host's 1-minute load average ×100; -1 when /proc cannot tell. */
    public static final String LOAD1 = "load1";
    /** The host's CPUs busy over the last second, % of all CPUs; -1 when /proc cannot tell. */
    public static final String CPU_BUSY = "cpu_busy";

    public final FlagHandle maint;
    public final FlagHandle drain;
    public final FlagHandle shed;
    public final FlagHandle weight;
    public final FlagHandle conns;
    public final FlagHandle inflight;
    public final FlagHandle requests;
    public final FlagHandle mode;
    public final FlagHandle noticed;
    public final FlagHandle balancers;
    public final FlagHandle configGeneration;
    public final FlagHandle configRejections;
    public final FlagHandle rps;
    public final FlagHandle latencyP50Ms;
    public final FlagHandle latencyP99Ms;
    public final FlagHandle errorsPs;
    public final FlagHandle load1;
    public final FlagHandle cpuBusy;

    private StandardFlags(FlagWriter writer) {
        maint = writer.define(MAINT, FlagKind.FLAG, 0).handle();
        drain = writer.define(DRAIN, FlagKind.FLAG, 0).handle();
        shed = writer.define(SHED, FlagKind.FLAG, 0).handle();
        weight = writer.define(WEIGHT, FlagKind.FLAG, FULL_WEIGHT).handle();
        conns = writer.define(CONNS, FlagKind.COUNTER, 0).handle();
        inflight = writer.define(INFLIGHT, FlagKind.COUNTER, 0).handle();
        requests = writer.define(REQUESTS, FlagKind.COUNTER, 0).handle();
        mode = writer.define(MODE, FlagKind.COUNTER, ModeNotice.READY).handle();
        noticed = writer.define(NOTICED, FlagKind.COUNTER, ModeNotice.PENDING).handle();
        balancers = writer.define(BALANCERS, FlagKind.COUNTER, 0).handle();
        configGeneration = writer.define(CONFIG_GENERATION, FlagKind.COUNTER, 0).handle();
        configRejections = writer.define(CONFIG_REJECTIONS, FlagKind.COUNTER, 0).handle();
        rps = writer.define(RPS, FlagKind.COUNTER, 0).handle();
        latencyP50Ms = writer.define(LATENCY_P50_MS, FlagKind.COUNTER, 0).handle();
        latencyP99Ms = writer.define(LATENCY_P99_MS, FlagKind.COUNTER, 0).handle();
        errorsPs = writer.define(ERRORS_PS, FlagKind.COUNTER, 0).handle();
        load1 = writer.define(LOAD1, FlagKind.COUNTER, -1).handle();
        cpuBusy = writer.define(CPU_BUSY, FlagKind.COUNTER, -1).handle();
    }

    /** Defines whatever is missing and resolves all of them. */
    public static StandardFlags defineMissing(FlagWriter writer) {
        return new StandardFlags(writer);
    }
}
