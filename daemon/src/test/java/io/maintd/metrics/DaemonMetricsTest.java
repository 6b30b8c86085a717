package io.maintd.metrics;

import static org.junit.jupiter.api.Assertions.*;

import io.maintd.monitor.Flip;
import io.maintd.proxy.Route;
import io.maintd.proxy.TrafficCounters;
import io.maintd.testsupport.TempFlagFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonMetricsTest {
    @TempDir
    Path dir;

    private TempFlagFile flags;
    private DaemonMetrics metrics;

    @BeforeEach
    void open() {
        flags = TempFlagFile.create(dir).define("maint", 0);
        metrics = new DaemonMetrics(flags.reader(), List::of);
    }

    @AfterEach
    void close() {
        flags.close();
    }

    @Test
    void requestCountersAreByRouteAndStatusClass() {
        TrafficCounters traffic = metrics.traffic();
        traffic.onRequestEnd(Route.BACKEND, 200, 0);
        traffic.onRequestEnd(Route.BACKEND, 204, 0);
        traffic.onRequestEnd(Route.BACKEND, 502, 0);
        traffic.onRequestEnd(Route.MAINTENANCE, 503, 0);

        Map<String, Double> s = PrometheusText.parse(metrics.scrape());
        assertEquals(2.0, PrometheusText.value(s, "maintd_requests_total", "route", "backend", "status", "2xx"));
        assertEquals(1.0, PrometheusText.value(s, "maintd_requests_total", "route", "backend", "status", "5xx"));
        assertEquals(1.0, PrometheusText.value(s, "maintd_requests_total", "route", "maintenance", "status", "5xx"));
        assertEquals(0.0, PrometheusText.value(s, "maintd_requests_total", "route", "shed", "status", "5xx"));
    }

    @Test
    void buildInfoNamesTheVersionAndTheJavaRuntime() {
        Map<String, Double> s = PrometheusText.parse(metrics.scrape());
        assertEquals(1.0, PrometheusText.value(s, "maintd_build_info", "commit", io.maintd.build.BuildInfo.commit(),
                "java", System.getProperty("java.version"), "version", io.maintd.build.BuildInfo.version()));
    }

    @Test
    void reloadsAreCountedByOutcome() {
        long[] counts = {3, 1};
        metrics.countReloads(counts, c -> c[0], c -> c[1]);
        counts[1]++;
        System.gc();
        Map<String, Double> s = PrometheusText.parse(metrics.scrape());
        assertEquals(3.0, PrometheusText.value(s, "maintd_config_reloads_total", "result", "applied"));
        assertEquals(2.0, PrometheusText.value(s, "maintd_config_reloads_total", "result", "rejected"));
    }

    @Test
    void flagGaugesFollowTheFileIncludingFlagsDefinedLater() {
        flags.set("maint", 1);
        flags.define("drain", 7);

        Map<String, Double> s = PrometheusText.parse(metrics.scrape());
        assertEquals(1.0, PrometheusText.value(s, "maintd_flag_value", "flag", "maint"));
        assertEquals(7.0, PrometheusText.value(s, "maintd_flag_value", "flag", "drain"));

        flags.set("maint", 0);
        assertEquals(0.0, PrometheusText.value(PrometheusText.parse(metrics.scrape()), "maintd_flag_value", "flag", "maint"));
    }

    @Test
    void flipsAndExpiriesAreCountedPerFlag() {
        metrics.onFlip(new Flip("maint", 0, 1, 1, 1, 0, false));
        metrics.onFlip(new Flip("maint", 1, 0, 1, 1, 0, true));

        Map<String, Double> s = PrometheusText.parse(metrics.scrape());
        assertEquals(2.0, PrometheusText.value(s, "maintd_flag_flips_total", "flag", "maint"));
        assertEquals(1.0, PrometheusText.value(s, "maintd_flag_expiries_total", "flag", "maint"));
    }

    @Test
    void liveGaugesReadTheTrafficCounters() {
        TrafficCounters traffic = metrics.traffic();
        for (int i = 0; i < 4; i++) {
            traffic.onConnectionOpened();
        }
        traffic.onRequestStart();
        traffic.onRequestStart();
        Map<String, Double> s = PrometheusText.parse(metrics.scrape());
        assertEquals(4.0, PrometheusText.value(s, "maintd_connections_active"));
        assertEquals(2.0, PrometheusText.value(s, "maintd_requests_inflight"));
    }

    @Test
    void upstreamLatencyIsAHistogram() {
        metrics.traffic().onRequestStart();
        metrics.traffic().onRequestEnd(Route.BACKEND, 200, 3_000_000);
        Map<String, Double> s = PrometheusText.parse(metrics.scrape());
        assertEquals(1.0, PrometheusText.value(s, "maintd_upstream_latency_seconds_count"));
        assertTrue(s.keySet().stream().anyMatch(k -> k.startsWith("maintd_upstream_latency_seconds_bucket{")));
    }
}
