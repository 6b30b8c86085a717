package io.maintd.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.daemon.RestartableBackend;
import io.maintd.metrics.PrometheusText;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.MaintdProcess;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real maintd whose application dies and comes back: every place that reports health says
 * so — {@code /healthz}, the agent, {@code /status}, the metrics, the flag file's counters as
 * {@code flagctl status} reads them, the log — and a rule over the counter can serve the
 * maintenance page meanwhile.
 */
@Timeout(120)
class BackendDownTest {
    private static final String CHECK = "check: { interval: 100ms, rise: 1 }";

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void aDeadApplicationIsReportedEverywhereAndSoIsItsReturn() throws Exception {
        try (RestartableBackend app = new RestartableBackend("app");
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(dir, "127.0.0.1:0", "127.0.0.1:0",
                     "{ servers: [127.0.0.1:" + app.port() + "], " + CHECK + " }", "agent: 127.0.0.1:0"), Map.of())) {
            String server = "127.0.0.1:" + app.port();
            assertEquals("ready 100% up\n", agentLine(maintd));
            assertTrue(flagctlStatus().contains("backends: 1 up (servers up: app=1)\n"), flagctlStatus());

            app.stop();
            HttpResponse<String> health = await(maintd, "admin", "/healthz", r -> r.statusCode() == 503);
            String reason = "backend app has no server up (" + server + ": tcp check: Connection refused";
            assertTrue(health.body().startsWith("down: " + reason), health.body());
            assertTrue(agentLine(maintd).startsWith("ready 100% down #" + reason), agentLine(maintd));
            String status = get(maintd, "admin", "/status").body();
            assertTrue(status.contains("\"backend_down\":\"" + reason), status);
            assertTrue(status.contains("\"backends\":[{\"name\":\"app\",\"default\":true,"
                    + "\"check\":\"tcp every 100 ms, rise 1, fall 3\",\"servers_up\":0,\"servers\":[{\"server\":\""
                    + server + "\",\"state\":\"down\""), status);
            assertEquals(0.0, backendUp(maintd, server));
            assertTrue(flagctlStatus().contains("backends: 0 up (servers up: app=0)\n"), flagctlStatus());
            for (int i = 0; i < 20; i++) {
                assertEquals(503, get(maintd, "http", "/").statusCode(), "the proxy's own error page");
            }
            Thread.sleep(500);
            assertEquals(1, occurrences(maintd.log(), "backend app server " + server + " up -> down: "),
                    "one line per change, however many checks and requests failed:\n" + maintd.log());

            app.start();
            await(maintd, "admin", "/healthz", r -> r.statusCode() == 200);
            assertEquals("ready 100% up\n", agentLine(maintd));
            assertEquals(1.0, backendUp(maintd, server));
            assertTrue(flagctlStatus().contains("backends: 1 up (servers up: app=1)\n"), flagctlStatus());
            assertEquals("backend app\n", get(maintd, "http", "/").body());
            maintd.awaitLog("backend app server " + server + " down -> up after ");
        }
    }

    /** The "upgrade behind the sidecar" case: while the application is down, clients get the page, not errors. */
    @Test
    void aRuleOverTheCounterServesTheMaintenancePageWhileTheApplicationIsDown() throws Exception {
        try (RestartableBackend app = new RestartableBackend("app");
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(dir, "127.0.0.1:0", "127.0.0.1:0",
                     "{ servers: [127.0.0.1:" + app.port() + "], " + CHECK + " }", String.join("\n",
                             "rules:",
                             "  - if: \"servers_up.app == 0\"",
                             "    then: maintenance",
                             "  - then: { backend: app }")), Map.of())) {
            assertEquals("backend app\n", get(maintd, "http", "/").body());
            app.stop();
            HttpResponse<String> page = await(maintd, "http", "/", r -> r.statusCode() == 503
                    && r.headers().firstValue("retry-after").isPresent());
            assertTrue(page.body().toLowerCase().contains("maintenance"), page.body());
            app.start();
            assertEquals("backend app\n", await(maintd, "http", "/", r -> r.statusCode() == 200).body());
        }
    }

    /** The counters of a backend a reload adds exist before the new rules are compiled, so the rules may name them. */
    @Test
    void aReloadThatAddsABackendDefinesItsCounterForItsRules() throws Exception {
        try (HeldBackend app = new HeldBackend("app");
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(dir, app.port(), ""), Map.of())) {
            int dead = MaintdProcess.freePort();
            MaintdProcess.config(dir, "127.0.0.1:0", "127.0.0.1:0", "{ servers: [127.0.0.1:" + app.port() + "] }",
                    String.join("\n",
                            "  api: { servers: [127.0.0.1:" + dead + "], " + CHECK + " }",
                            "rules:",
                            "  - if: \"servers_up.api == 0\"",
                            "    match: { path: /api/ }",
                            "    then: maintenance",
                            "  - then: { backend: app }"));
            maintd.signal("HUP");
            maintd.awaitLog("is serving as config generation 2");
            await(maintd, "http", "/api/orders",
                    r -> r.statusCode() == 503 && r.headers().firstValue("retry-after").isPresent());
            assertEquals("backend app\n", get(maintd, "http", "/").body());
            assertTrue(flagctlStatus().contains("backends: 1 up (servers up: app=1, api=0)\n"), flagctlStatus());
        }
    }

    private double backendUp(MaintdProcess maintd, String server) throws Exception {
        return PrometheusText.value(PrometheusText.parse(get(maintd, "admin", "/metrics").body()), "maintd_backend_up",
                "backend", "app", "server", server);
    }

    private String flagctlStatus() throws Exception {
        return FlagctlRun.run(dir.resolve("flags"), "status").ok().out();
    }

    private static String agentLine(MaintdProcess maintd) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", maintd.port("agent"))) {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** A GET on the {@code listener} ({@code http} or {@code admin}). */
    private HttpResponse<String> get(MaintdProcess maintd, String listener, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + maintd.port(listener) + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> await(MaintdProcess maintd, String listener, String path,
                                       Predicate<HttpResponse<String>> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> last;
        do {
            last = get(maintd, listener, path);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(path + " never got there; last " + last.statusCode() + " " + last.body()
                + "\nlog:\n" + maintd.log());
    }

    private static int occurrences(String text, String fragment) {
        int n = 0;
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + 1)) {
            n++;
        }
        return n;
    }
}
