package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagKind;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 1 against a real daemon: a flag deleted and created again (while the daemon
 * runs, by the real flagctl) is followed by every part that reads it — proxy rules, /healthz,
 * the agent check and /status — and a deleted flag reads as absent, never as the flag that took
 * its slot.
 */
@Timeout(180)
class FlagRecreatedTest {
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private HeldBackend backend;
    private MaintdProcess maintd;
    private Path flags;

    @BeforeEach
    void start() throws Exception {
        backend = new HeldBackend("app");
        maintd = MaintdProcess.start(MaintdProcess.config(dir, backend.port(), "agent: 127.0.0.1:0"), Map.of());
        flags = dir.resolve("flags");
    }

    @AfterEach
    void stop() throws Exception {
        maintd.close();
        backend.close();
    }

    @Test
    void theIssuesReproductionEndsInTheMaintenanceTheRecreatedFlagAsksFor() throws Exception {
        flagctl("delete", "maint");
        flagctl("create", "foo");
        flagctl("set", "foo", "1");
        maintd.awaitLog("flag maint deleted (it was 0 in slot 0); maintd reads it as absent (0)");
        assertEveryPartSays("ready");

        flagctl("create", "maint");
        flagctl("set", "foo", "0");
        flagctl("set", "maint", "1");
        awaitAgent("maint\n");
        assertEveryPartSays("maint");

        flagctl("set", "maint", "0");
        awaitAgent("ready 100%\n");
        assertEveryPartSays("ready");
    }

    @Test
    void deletingMaintWhileItIsOnTakesTheHostOutOfMaintenance() throws Exception {
        flagctl("set", "maint", "1");
        awaitAgent("maint\n");

        flagctl("delete", "maint");

        awaitAgent("ready 100%\n");
        assertEveryPartSays("ready");
        String warning = maintd.awaitLog("flag maint deleted (it was 1 in slot 0)");
        assertTrue(warning.contains("WARNING"), warning);
    }

    @Test
    void aCounterSomeoneDeletedIsDefinedAgainByTheDaemon() throws Exception {
        try (FlagFile other = FlagFile.openReadWrite(flags)) {
            assertTrue(other.writer().delete("requests"));
            maintd.awaitLog("counter requests deleted and created again");
            assertEquals(FlagKind.COUNTER, other.reader().handle("requests").kind());
        }
        get(proxy("/"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!flagctl("get", "requests").strip().equals("1")) {
            assertTrue(System.nanoTime() < deadline, "the re-defined counter never counted the request");
            Thread.sleep(20);
        }
    }

    /** The proxy's rules, /healthz, /status and the agent check all report {@code mode}. */
    private void assertEveryPartSays(String mode) throws Exception {
        boolean ready = mode.equals("ready");
        HttpResponse<String> page = get(proxy("/"));
        assertEquals(ready ? 200 : 503, page.statusCode(), page.body());
        if (ready) {
            assertEquals("backend app\n", page.body());
        }
        HttpResponse<String> health = get(admin("/healthz"));
        assertEquals(ready ? 200 : 503, health.statusCode());
        assertEquals(mode + "\n", health.body());
        assertTrue(get(admin("/status")).body().contains("\"mode\":\"" + mode + "\""));
        assertEquals(ready ? "ready 100%\n" : mode + "\n", agentLine());
    }

    private void awaitAgent(String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        String seen;
        while (!(seen = agentLine()).equals(line)) {
            assertTrue(System.nanoTime() < deadline, "the agent still answers " + seen.strip() + ", not " + line.strip());
            Thread.sleep(20);
        }
    }

    private String agentLine() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", maintd.port("agent"))) {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private String flagctl(String... args) throws Exception {
        return MaintdProcess.flagctl(flags, args);
    }

    private URI proxy(String path) throws Exception {
        return URI.create("http://127.0.0.1:" + maintd.port("http") + path);
    }

    private URI admin(String path) throws Exception {
        return URI.create("http://127.0.0.1:" + maintd.port("admin") + path);
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
