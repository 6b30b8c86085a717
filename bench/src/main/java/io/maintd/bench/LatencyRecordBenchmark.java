package io.maintd.bench;

import io.maintd.load.LatencyWindow;
import io.maintd.proxy.Route;
import io.maintd.proxy.TrafficCounters;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the request path pays per upstream response for latency, before and after the load
 * facts: {@code timerRecord} is the Micrometer histogram recorded before (and still),
 * {@code windowRecord} the {@link LatencyWindow} increment the {@code latency_p*_ms} facts
 * added, {@code onRequestEnd} the proxy's whole per-request bookkeeping now (adders, window,
 * timer). Run with {@code -t 2} as well: two event loops record into the same buckets.
 * {@code windowPercentiles} is the monitor tick's side (advance, p50 and p99), for reference.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class LatencyRecordBenchmark {
    /** Latencies from 0.3 ms to 1.2 s, so records spread over buckets as real traffic does. */
    private static final long[] LATENCIES = {300_000, 1_200_000, 4_000_000, 9_500_000, 20_000_000, 75_000_000,
            180_000_000, 1_200_000_000};

    private Timer timer;
    private LatencyWindow window;
    private TrafficCounters traffic;

    @State(Scope.Thread)
    public static class Cursor {
        int next;

        long latency() {
            return LATENCIES[next++ & (LATENCIES.length - 1)];
        }
    }

    @Setup
    public void setUp() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The same timer DaemonMetrics registers.
        timer = Timer.builder("maintd.upstream.latency").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
        window = new LatencyWindow();
        window.advance(1);
        traffic = new TrafficCounters(nanos -> timer.record(nanos, TimeUnit.NANOSECONDS));
        traffic.upstreamWindow().advance(1);
    }

    @Benchmark
    public void timerRecord(Cursor cursor) {
        timer.record(cursor.latency(), TimeUnit.NANOSECONDS);
    }

    @Benchmark
    public void windowRecord(Cursor cursor) {
        window.record(cursor.latency());
    }

    @Benchmark
    public void onRequestEnd(Cursor cursor) {
        traffic.onRequestStart();
        traffic.onRequestEnd(Route.BACKEND, 200, cursor.latency());
    }

    @Benchmark
    public long windowPercentiles(Cursor cursor) {
        window.advance(cursor.next++ >> 4);
        return window.percentileNanos(0.5) + window.percentileNanos(0.99);
    }
}
