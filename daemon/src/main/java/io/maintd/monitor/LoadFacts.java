package io.maintd.monitor;

import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.StandardFlags;
import io.maintd.load.HostLoad;
import io.maintd.load.LatencyWindow;
import io.maintd.load.PerSecondRate;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The load facts a monitor script reads from the flag file ({@code flagctl get rps}), computed
 * on the daemon's monitor tick from what the proxy already counts and from {@code /proc}; their
 * names are in {@link StandardFlags} and their units and windows in docs/flagfile.md. The
 * request path pays only for {@link LatencyWindow#record}; the rates are differences of the
 * totals the proxy keeps anyway, sampled on each tick. {@code backends_up}, a load fact too, is
 * counted by the health checks and written on the same tick ({@link FlagMonitor#publishAlso}).
 */
public final class LoadFacts {
    private static final System.Logger LOG = System.getLogger(LoadFacts.class.getName());
    /** Samples kept per rate: the ticks of a second, and room for ticks that come early. */
    private static final int RATE_SAMPLES = 32;

    /** How the monitor writes a counter (it defines again a counter someone deleted). */
    @FunctionalInterface
    public interface Publisher {
        void publish(FlagHandle counter, long value);
    }

    /** What the facts are computed from; read on the monitor thread. */
    public record Sources(LongSupplier requests, LongSupplier errors, LatencyWindow latency, HostLoad host) {
    }

    private final StandardFlags flags;
    private final Sources sources;
    private final PerSecondRate requestRate = new PerSecondRate(RATE_SAMPLES);
    private final PerSecondRate errorRate = new PerSecondRate(RATE_SAMPLES);
    private final PerSecondRate busyRate = new PerSecondRate(RATE_SAMPLES);
    private final PerSecondRate cpuRate = new PerSecondRate(RATE_SAMPLES);
    private final long[] cpuTicks = new long[2];
    /** Files under /proc that failed, reported once until they read again. */
    private final Set<String> unreadable = new HashSet<>();

    public LoadFacts(StandardFlags flags, Sources sources) {
        this.flags = flags;
        this.sources = sources;
    }

    /** One tick at monotonic {@code nowNanos}: computes every fact and hands it to {@code out}. */
    public void publish(long nowNanos, Publisher out) {
        LatencyWindow latency = sources.latency();
        latency.advance(TimeUnit.NANOSECONDS.toSeconds(nowNanos));
        out.publish(flags.rps, requestRate.update(nowNanos, sources.requests().getAsLong()));
        out.publish(flags.errorsPs, errorRate.update(nowNanos, sources.errors().getAsLong()));
        out.publish(flags.latencyP50Ms, roundedMillis(latency.percentileNanos(0.50)));
        out.publish(flags.latencyP99Ms, roundedMillis(latency.percentileNanos(0.99)));
        out.publish(flags.load1, readLoad1());
        out.publish(flags.cpuBusy, readCpuBusy(nowNanos));
    }

    private static long roundedMillis(long nanos) {
        return (nanos + 500_000) / 1_000_000;
    }

    private long readLoad1() {
        HostLoad host = sources.host();
        try {
            return known(host.loadavgPath().toString(), host.load1Hundredths());
        } catch (IOException e) {
            return unknown(host.loadavgPath().toString(), e.toString());
        }
    }

    private long readCpuBusy(long nowNanos) {
        HostLoad host = sources.host();
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
