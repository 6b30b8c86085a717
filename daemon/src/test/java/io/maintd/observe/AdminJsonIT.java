package io.maintd.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /flags} and {@code /status} on a real maintd's admin port. */
@Timeout(120)
class AdminJsonIT {
    @TempDir
    Path dir;

    @Test
    void flagsListsEveryFlagWithValueWriterAndExpiry() throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        try (HeldBackend app = new HeldBackend("app"); MaintdProcess maintd = ObservedMaintd.start(dir, app.port())) {
            FlagctlRun set = FlagctlRun.run(maintd.flags(), "set", "maint", "1", "--for", "1h").ok();
            HttpResponse<String> response = maintd.get(maintd.admin("/flags"));
            assertEquals(200, response.statusCode());
            assertEquals("application/json; charset=utf-8", response.headers().firstValue("content-type").orElseThrow());
            String body = response.body();

            assertTrue(body.startsWith("{\"file\":\"" + maintd.flags() + "\",\"flags\":["), body);
            assertTrue(Pattern.compile("\\{\"name\":\"maint\",\"kind\":\"flag\",\"value\":1,"
                    + "\"updated_at\":\"20\\d\\d-[^\"]+Z\",\"writer_pid\":" + set.pid() + ",\"writer_uid\":" + uid
                    + ",\"writes\":\\d+,\"expires_at\":\"20\\d\\d-[^\"]+Z\",\"revert_value\":0}").matcher(body).find(), body);
            assertTrue(body.contains("{\"name\":\"drain\",\"kind\":\"flag\",\"value\":0,"), body);
            assertTrue(body.contains("\"expires_at\":null,\"revert_value\":null}"), "a flag without --for: " + body);
            for (String counter : new String[] {"conns", "inflight", "requests"}) {
                assertTrue(body.contains("{\"name\":\"" + counter + "\",\"kind\":\"counter\","), counter + " in " + body);
            }
            assertTrue(body.endsWith("]}\n"), body);
        }
    }

    @Test
    void statusShowsModePidCountersGenerationAndFile() throws Exception {
        try (HeldBackend app = new HeldBackend("app"); MaintdProcess maintd = ObservedMaintd.start(dir, app.port())) {
            assertEquals(200, maintd.get(maintd.proxy("/")).statusCode());
            assertTrue(Pattern.compile("\\{\"mode\":\"ready\",\"pid\":" + maintd.pid()
                    + ",\"started_at\":\"20\\d\\d-[^\"]+Z\",\"uptime_ms\":\\d+,\"config_generation\":1,"
                    + "\"flags_file\":\"" + Pattern.quote(maintd.flags().toString()) + "\","
                    + "\"flags_file_state\":\"intact\",\"flags_file_problem\":null,"
                    + "\"counters\":\\{\"conns\":\\d+,\"inflight\":0,\"requests\":1\\},"
                    + "\"backend_down\":null,\"backends\":\\[\\{\"name\":\"app\",\"default\":true,.*\\],"
                    + "\"why\":null,\"requests_per_second\":\\d+,"
                    + "\"noticed\":\\{\"state\":\"pending\",\"mode\":\"ready\",\"mode_since\":\"20[^\"]+Z\",\"balancers\":\\[\\]\\},"
                    + "\"flags\":\\[\\{\"name\":\"maint\".*\\],\"actions\":false,\"audit\":\\[\\],\"fleet\":null\\}\n").matcher(
                    maintd.adminBody("/status")).matches(), maintd.adminBody("/status"));

            FlagctlRun.run(maintd.flags(), "set", "drain", "1", "--for", "1h").ok();
            String draining = maintd.adminBody("/status");
            assertTrue(draining.startsWith("{\"mode\":\"drain\","));
            assertTrue(Pattern.compile("\"why\":\\{\"name\":\"drain\",\"kind\":\"flag\",\"value\":1,.*"
                    + "\"expires_at\":\"20[^\"]+Z\",\"revert_value\":0,\"shutdown\":false\\}").matcher(draining).find(), draining);
            FlagctlRun.run(maintd.flags(), "set", "maint", "1").ok();
            assertTrue(maintd.adminBody("/status").startsWith("{\"mode\":\"maint\","), "maint wins over drain");
        }
    }

    @Test
    void statusCarriesTheTrafficHistoryOnlyWhenAsked() throws Exception {
        try (HeldBackend app = new HeldBackend("app"); MaintdProcess maintd = ObservedMaintd.start(dir, app.port())) {
            assertTrue(!maintd.adminBody("/status").contains("\"history\""));
            String withHistory = maintd.adminBody("/status?history");
            assertTrue(Pattern.compile("\"history\":\\{\"interval_ms\":1000,\"last_at\":\"20[^\"]+Z\","
                    + "\"inflight\":\\[\\d+(,\\d+)*\\],\"conns\":\\[[\\d,]+\\],\"rps\":\\[[\\d,]+\\]\\}").matcher(withHistory).find(),
                    withHistory);
        }
    }

    @Test
    void unknownPathIs404AndOtherMethodsAre405() throws Exception {
        try (HeldBackend app = new HeldBackend("app"); MaintdProcess maintd = ObservedMaintd.start(dir, app.port())) {
            assertEquals(404, maintd.get(maintd.admin("/nope")).statusCode());
            HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(maintd.admin("/flags"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("allow").orElseThrow());
            HttpResponse<Void> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(maintd.admin("/status"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(200, head.statusCode());
        }
    }

    @Test
    void metricsHasThePrometheusContentType() throws Exception {
        try (HeldBackend app = new HeldBackend("app"); MaintdProcess maintd = ObservedMaintd.start(dir, app.port())) {
            HttpResponse<String> response = maintd.get(maintd.admin("/metrics"));
            assertEquals("text/plain; version=0.0.4; charset=utf-8",
                    response.headers().firstValue("content-type").orElseThrow());
        }
    }
}
