package io.maintd.load;

import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagWriter;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The load facts a monitor script reads from the flag file ({@code flagctl get rps}), computed
 * on the daemon's monitor tick from what the proxy already counts and from {@code /proc}. The
 * names are a contract (docs/flagfile.md gives each one's unit and window). The request path
 * pays only for {@link LatencyWindow#record}; the rates are differences of the totals the proxy
 * keeps anyway, taken on each tick. {@code backends_up}, a load fact too, is published by the
 * health checks ({@code io.maintd.health.BackendCounters}) when it changes.
 */
public final class LoadFacts {
    private static final System.Logger LOG = System.getLogger(LoadFacts.class.getName());

    /** Requests answered in the last second. */
    public static final String RPS = "rps";
    /** Upstream latency, median over the last 10 s, in ms. */
    public static final String LATENCY_P50_MS = "latency_p50_ms";
    /** Upstream latency, 99th percentile over the last 10 s, in ms. */
    public static final String LATENCY_P99_MS = "latency_p99_ms";
    /** Upstream 5xx and the proxy's own error responses in the last second. */
    public static final String ERRORS_PS = "errors_ps";
    /** The host's 1-minute load average ×100. */
    public static final String LOAD1 = "load1";
    /** The host's CPUs busy over the last second, in % of all CPUs. */
    public static final String CPU_BUSY = "cpu_busy";

    /** How the monitor writes a counter (it defines again a counter someone deleted). */
    @FunctionalInterface
    public interface Publisher {
        void publish(FlagHandle counter, long value);
    }

    /** What the facts are computed from; read on the monitor thread. */
    public record Sources(LongSupplier requests, LongSupplier errors, LatencyWindow latency) {
    }

    /** Samples kept per rate: the ticks of a second, and room for ticks that come early. */
    private static final int RATE_SAMPLES = 32;

    private final Sources sources;
    private final HostLoad host;
    private final FlagHandle rps;
    private final FlagHandle p50;
    private final FlagHandle p99;
    private final FlagHandle errorsPs;
    private final FlagHandle load1;
    private final FlagHandle cpuBusy;
    private final PerSecondRate requestRate = new PerSecondRate(RATE_SAMPLES);
    private final PerSecondRate errorRate = new PerSecondRate(RATE_SAMPLES);
    private final PerSecondRate busyRate = new PerSecondRate(RATE_SAMPLES);
    private final PerSecondRate cpuRate = new PerSecondRate(RATE_SAMPLES);
    private final long[] cpuTicks = new long[2];
    /** Files under /proc that failed, reported once until they read again. */
    private final Set<String> unreadable = new HashSet<>();

    LoadFacts(FlagWriter writer, Sources sources, HostLoad host) {
        this.sources = sources;
        this.host = host;
        rps = counter(writer, RPS);
        p50 = counter(writer, LATENCY_P50_MS);
        p99 = counter(writer, LATENCY_P99_MS);
        errorsPs = counter(writer, ERRORS_PS);
        load1 = counter(writer, LOAD1, HostLoad.UNKNOWN);
        cpuBusy = counter(writer, CPU_BUSY, HostLoad.UNKNOWN);
    }

    /** Defines the counters that are missing, reading {@code /proc} of this host. */
    public static LoadFacts define(FlagWriter writer, Sources sources) {
        return new LoadFacts(writer, sources, HostLoad.ofThisHost());
    }

    private static FlagHandle counter(FlagWriter writer, String name) {
        return counter(writer, name, 0);
    }

    private static FlagHandle counter(FlagWriter writer, String name, long initial) {
        return writer.define(name, FlagKind.COUNTER, initial).handle();
    }

    /** One tick at monotonic {@code nowNanos}: computes every fact and hands it to {@code out}. */
    public void publish(long nowNanos, Publisher out) {
        LatencyWindow latency = sources.latency();
        latency.advance(TimeUnit.NANOSECONDS.toSeconds(nowNanos));
        out.publish(rps, requestRate.update(nowNanos, sources.requests().getAsLong()));
        out.publish(errorsPs, errorRate.update(nowNanos, sources.errors().getAsLong()));
        out.publish(p50, roundedMillis(latency.percentileNanos(0.50)));
        out.publish(p99, roundedMillis(latency.percentileNanos(0.99)));
        out.publish(load1, readLoad1());
        out.publish(cpuBusy, readCpuBusy(nowNanos));
    }

    private static long roundedMillis(long nanos) {
        return (nanos + 500_000) / 1_000_000;
    }

    private long readLoad1() {
        try {
            return known(host.loadavgPath().toString(), host.load1Hundredths());
        } catch (IOException e) {
            return unknown(host.loadavgPath().toString(), e.toString());
        }
    }

    private long readCpuBusy(long nowNanos) {
        String file = host.statPath().toString();
        try {
            if (!host.cpuTicks(cpuTicks)) {
                return unknown(file, "no well-formed cpu line");
            }
        } catch (IOException e) {
            return unknown(file, e.toString());
        }
        long busyPerSecond = busyRate.update(nowNanos, cpuTicks[0]);
        long totalPerSecond = cpuRate.update(nowNanos, cpuTicks[1]);
        known(file, 0);
        return totalPerSecond <= 0 ? HostLoad.UNKNOWN : Math.round(100.0 * busyPerSecond / totalPerSecond);
    }

    private long known(String file, long value) {
        if (value == HostLoad.UNKNOWN) {
            return unknown(file, "malformed");
        }
        if (unreadable.remove(file)) {
            LOG.log(System.Logger.Level.INFO, file + " reads again; its load fact is published");
        }
        return value;
    }

    private long unknown(String file, String why) {
        if (unreadable.add(file)) {
            LOG.log(System.Logger.Level.WARNING, "cannot read " + file + " (" + why + "); its load fact reads -1");
        }
        return HostLoad.UNKNOWN;
    }
}
