package io.maintd.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.maintd.metrics.PrometheusText;
import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} of a real maintd process, checked against the traffic the test sent. */
@Timeout(120)
class MetricsIT {
    @TempDir
    Path dir;

    @Test
    void requestCountersMatchTheRequestsSentByRouteAndStatusClass() throws Exception {
        try (HeldBackend app = new HeldBackend("app"); MaintdProcess maintd = ObservedMaintd.start(dir, app.port())) {
            sendExpecting(maintd, 3, 200, "/");
            // Connection refused by the only server: the backend is down, 503 on the error route.
            sendExpecting(maintd, 2, 503, "/down/x");
            flagctl(maintd, "set", "maint", "1");
            sendExpecting(maintd, 4, 503, "/");
            assertEquals(200, maintd.get(maintd.proxy("/"), ObservedMaintd.BYPASS_HEADER, ObservedMaintd.BYPASS_TOKEN).statusCode());
            flagctl(maintd, "set", "maint", "0");
            flagctl(maintd, "set", "shed", "100");
            sendExpecting(maintd, 5, 503, "/");

            Map<String, Double> s = PrometheusText.parse(maintd.adminBody("/metrics"));
            assertEquals(3.0, requests(s, "backend", "2xx"));
            assertEquals(2.0, requests(s, "error", "5xx"));
            assertEquals(4.0, requests(s, "maintenance", "5xx"));
            assertEquals(1.0, requests(s, "bypass", "2xx"));
            assertEquals(5.0, requests(s, "shed", "5xx"));
            double total = s.entrySet().stream().filter(e -> e.getKey().startsWith("maintd_requests_total{"))
                    .mapToDouble(Map.Entry::getValue).sum();
            assertEquals(15.0, total, "no request counted on any other route or status class");
        }
    }

    @Test
    void flagGaugesAndFlipCountersFollowFlips() throws Exception {
        try (HeldBackend app = new HeldBackend("app"); MaintdProcess maintd = ObservedMaintd.start(dir, app.port())) {
            assertEquals(0.0, flagValue(maintd, "maint"));

            flagctl(maintd, "set", "maint", "1");
            assertEquals(1.0, flagValue(maintd, "maint"), "the gauge reads the file at scrape time");
            maintd.awaitLogLine("flag maint 0 -> 1");
            flagctl(maintd, "set", "maint", "0");
            maintd.awaitLogLine("flag maint 1 -> 0");

            Map<String, Double> s = PrometheusText.parse(maintd.adminBody("/metrics"));
            assertEquals(0.0, PrometheusText.value(s, "maintd_flag_value", "flag", "maint", "kind", "flag"));
            assertEquals(2.0, PrometheusText.value(s, "maintd_flag_flips_total", "flag", "maint"));
        }
    }

    private static void sendExpecting(MaintdProcess maintd, int n, int status, String path) throws Exception {
        for (int i = 0; i < n; i++) {
            assertEquals(status, maintd.get(maintd.proxy(path)).statusCode(), path);
        }
    }

    private static void flagctl(MaintdProcess maintd, String... args) throws Exception {
        FlagctlRun.run(maintd.flags(), args).ok();
    }

    private static double requests(Map<String, Double> s, String route, String statusClass) {
        return PrometheusText.value(s, "maintd_requests_total", "route", route, "status", statusClass);
    }

    private static double flagValue(MaintdProcess maintd, String flag) throws Exception {
        return PrometheusText.value(PrometheusText.parse(maintd.adminBody("/metrics")), "maintd_flag_value",
                "flag", flag, "kind", "flag");
    }
}
