package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: the proxy, admin and agent ports share one descriptor table. A real daemon with
 * RLIMIT_NOFILE 700 ({@code prlimit}), so {@code limits.max-connections} derives to
 * (700 - 512) / 2 = 94, and a flood of 1,000 client connections held open. Without the cap the
 * flood took every descriptor and {@code /healthz} stopped answering with it.
 */
@Timeout(180)
class ConnectionFloodTest {
    private static final int FLOOD = 1000;
    private static final int DERIVED_MAX = (700 - 512) / 2;
    private static final Pattern REJECTED = Pattern.compile("maintd_connections_rejected_total\\{listener=\"http\",?\\} (\\d+)");

    @TempDir
    Path dir;

    private HeldBackend backend;
    private MaintdProcess maintd;
    private final List<Socket> flood = new ArrayList<>();
    private final HttpClient admin = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        backend = new HeldBackend("one");
        // A long head deadline, so no flood connection is let go while the test counts.
        maintd = MaintdProcess.startWrapped(List.of("prlimit", "--nofile=700:700"), MaintdProcess.config(dir,
                backend.port(), "agent: 127.0.0.1:0\nlimits: { header-timeout: 5m }"), Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : flood) {
            socket.close();
        }
        maintd.close();
        backend.close();
    }

    @Test
    void aFloodBeyondMaxConnectionsIsClosedAtAcceptWhileHealthAndAgentStillAnswer() throws Exception {
        assertTrue(maintd.log().contains("max-connections " + DERIVED_MAX + " (derived: RLIMIT_NOFILE 700"), maintd.log());
        long started = System.nanoTime();
        InetSocketAddress proxy = maintd.address("http");
        for (int i = 0; i < FLOOD; i++) {
            Socket socket = new Socket();
            socket.connect(proxy, 10_000);
            flood.add(socket);
        }

        awaitRejected(FLOOD - DERIVED_MAX);
        HttpResponse<String> health = get("/healthz");
        assertEquals(200, health.statusCode());
        assertEquals("ready\n", health.body());
        assertEquals("ready 100% up\n", agentLine());

        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + 1;
        int lines = MaintdProcess.occurrences(maintd.log(), "connections open (limits.max-connections); closed a new one from");
        assertTrue(lines >= 1 && lines <= seconds + 1, lines + " log lines in about " + seconds + " s:\n" + maintd.log());

        for (Socket socket : flood) {
            socket.close();
        }
        flood.clear();
        assertEquals("HTTP/1.1 200 OK", maintd.proxyStatusLine("/"), "once the flood is gone the proxy serves again");
    }

    /** Polls the admin port's metrics (itself proof the admin port answers) until the count is reached. */
    private void awaitRejected(int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long rejected = -1;
        while (System.nanoTime() < deadline) {
            Matcher m = REJECTED.matcher(get("/metrics").body());
            assertTrue(m.find(), "no rejected-connections metric");
            rejected = Long.parseLong(m.group(1));
            if (rejected >= expected) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        assertEquals(expected, rejected, "connections closed at accept");
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + maintd.port("admin") + path);
        return admin.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String agentLine() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", maintd.port("agent"))) {
            socket.setSoTimeout(5_000);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
