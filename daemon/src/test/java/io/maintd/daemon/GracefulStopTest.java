package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import io.maintd.testsupport.ScriptedBackend;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM / SIGINT on a real maintd process: the drain phases, in order, with real requests in flight. */
@Timeout(120)
class GracefulStopTest {
    @TempDir
    Path dir;

    private HeldBackend backend;
    private MaintdProcess maintd;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void startBackend() throws Exception {
        backend = new HeldBackend("one");
    }

    @AfterEach
    void stop() throws Exception {
        if (maintd != null) {
            maintd.close();
        }
        backend.close();
    }

    private void startMaintd(String drain) throws Exception {
        maintd = MaintdProcess.start(MaintdProcess.config(dir, backend.port(), drain), Map.of());
    }

    private URI proxy(String path) throws Exception {
        return URI.create("http://127.0.0.1:" + maintd.port("http") + path);
    }

    private List<CompletableFuture<HttpResponse<String>>> holdRequests(int count) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            responses.add(client.sendAsync(HttpRequest.newBuilder(proxy("/hold")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        backend.awaitHeld(count);
        return responses;
    }

    @Test
    void sigtermLetsEveryInFlightRequestFinishWith200ThenExitsZero() throws Exception {
        startMaintd("drain: { lead-time: 0s, timeout: 30s }");
        List<CompletableFuture<HttpResponse<String>>> responses = holdRequests(3);

        maintd.signal("TERM");
        maintd.awaitLog("drain: stopped accepting (inflight=3");
        backend.release();

        for (CompletableFuture<HttpResponse<String>> response : responses) {
            assertEquals(200, response.get(30, TimeUnit.SECONDS).statusCode());
            assertEquals("backend one\n", response.get().body());
        }
        assertEquals(0, maintd.awaitExit());
        String log = maintd.log();
        assertTrue(log.contains("drain: started by SIGTERM (inflight=3"), log);
        assertTrue(log.contains("drain: all requests finished (inflight=0"), log);
        assertTrue(log.contains("exit 0"), log);
    }

    @Test
    void newConnectionsAreRefusedOnceAcceptStops() throws Exception {
        startMaintd("drain: { lead-time: 0s, timeout: 30s }");
        int port = maintd.port("http");
        CompletableFuture<HttpResponse<String>> inFlight = holdRequests(1).get(0);

        maintd.signal("TERM");
        maintd.awaitLog("drain: stopped accepting");

        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        backend.release();
        assertEquals(200, inFlight.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(0, maintd.awaitExit());
    }

    @Test
    void idleKeepAliveConnectionsAreClosedAndDoNotHoldTheExit() throws Exception {
        startMaintd("drain: { lead-time: 0s, timeout: 30s }");
        try (Socket idle = new Socket("127.0.0.1", maintd.port("http"))) {
            idle.setSoTimeout(30_000);
            idle.getOutputStream().write("GET / HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = idle.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            in.readNBytes("backend one\n".length());

            maintd.signal("TERM");

            assertEquals(0, maintd.awaitExit(), "the client's 60 s idle timeout is not waited for");
            assertEquals(-1, in.read(), "the server closed the idle connection");
        }
        assertTrue(maintd.log().contains("drain: closing 1 remaining connections"), maintd.log());
    }

    /**
     * The one request lost in a {@code systemctl restart} under load: the listener accepts a
     * connection as soon as the handshake is done, its request arrives a moment later, and a drain
     * that waited for in-flight requests only saw none and closed it unanswered.
     */
    @Test
    void aConnectionAcceptedBeforeAcceptStopsIsAnsweredWhenItsRequestComesAfter() throws Exception {
        startMaintd("drain: { lead-time: 0s, timeout: 30s }");
        try (Socket early = new Socket("127.0.0.1", maintd.port("http"))) {
            early.setSoTimeout(30_000);
            awaitOpenConnections(1);

            maintd.signal("TERM");
            maintd.awaitLog("drain: stopped accepting");
            early.getOutputStream().write("GET / HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            String response = new String(early.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 200 "), "answered: " + response);
            assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"), response);
            assertTrue(response.endsWith("backend one\n"), response);
        }
        assertEquals(0, maintd.awaitExit());
        assertTrue(maintd.log().contains("drain: stopped accepting (inflight=0 unanswered=1 unsent=0 conns=1)"), maintd.log());
        assertTrue(maintd.log().contains("drain: all requests finished (inflight=0 unanswered=0"), maintd.log());
    }

    /** What holds the drain for a silent connection is the head deadline, as without a drain (a browser's pre-connect). */
    @Test
    void aConnectionThatNeverSendsARequestHoldsTheDrainUntilItsHeadDeadlineOnly() throws Exception {
        startMaintd("drain: { lead-time: 0s, timeout: 30s }\nlimits: { header-timeout: 1s }");
        try (Socket silent = new Socket("127.0.0.1", maintd.port("http"))) {
            silent.setSoTimeout(30_000);
            awaitOpenConnections(1);

            maintd.signal("TERM");

            assertEquals(0, maintd.awaitExit());
            assertEquals(-1, silent.getInputStream().read(), "closed without an answer, as any silent connection");
        }
        assertTrue(maintd.log().contains("drain: all requests finished (inflight=0 unanswered=0 unsent=0 conns=0)"), maintd.log());
    }

    /**
     * A slow reader of a response whose server sent it whole and closed: at the close the proxy
     * gets the rest of the body at once and hands it to the client connection, and the request
     * leaves the in-flight count, while megabytes are still to be sent. The drain found nothing
     * in flight and closed the connection with the end of the body unsent; it now waits for
     * unsent bytes too.
     */
    @Test
    void aSlowReaderGetsAllOfAResponseStillQueuedWhenTheDrainFindsNothingInFlight() throws Exception {
        int size = 4 << 20;
        try (ScriptedBackend large = new ScriptedBackend((index, socket, in, out) -> {
            ScriptedBackend.readHead(in);
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[size]);
            out.flush();
        })) {
            maintd = MaintdProcess.start(MaintdProcess.config(dir, large.address().getPort(),
                    "drain: { lead-time: 0s, timeout: 30s }"), Map.of());
            try (Socket slow = new Socket()) {
                slow.setReceiveBufferSize(16 << 10);
                slow.connect(maintd.address("http"));
                slow.setSoTimeout(30_000);
                slow.getOutputStream().write("GET /large HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = slow.getInputStream();
                String head = readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 200 "), head);
                MaintdProcess.await(() -> maintd.adminBody("/status").contains("\"inflight\":0,\"requests\":1"),
                        "the response to be handed to the client connection whole");

                maintd.signal("TERM");
                maintd.awaitLog("drain: stopped accepting");
                // 16 KiB every 5 ms: most of the body is still queued in maintd when the drain looks.
                byte[] chunk = new byte[16 << 10];
                long received = 0;
                for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                    received += n;
                    Thread.sleep(5);
                }
                long got = received;
                assertEquals(size, got, () -> "the whole body, then the close; log:\n" + logOf(maintd));
            }
            assertEquals(0, maintd.awaitExit());
            assertTrue(maintd.log().contains("drain: all requests finished (inflight=0 unanswered=0 unsent=0"), maintd.log());
        }
    }

    private static String logOf(MaintdProcess maintd) {
        try {
            return maintd.log();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private void awaitOpenConnections(int count) throws Exception {
        MaintdProcess.await(() -> maintd.adminBody("/status").contains("\"conns\":" + count + ","),
                "maintd to have accepted " + count + " connection(s)");
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed inside the response head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void sigintDrainsLikeSigterm() throws Exception {
        startMaintd("drain: { lead-time: 0s, timeout: 30s }");
        CompletableFuture<HttpResponse<String>> inFlight = holdRequests(1).get(0);

        maintd.signal("INT");
        maintd.awaitLog("drain: started by SIGINT");
        backend.release();

        assertEquals(200, inFlight.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(0, maintd.awaitExit());
    }

    @Test
    void healthAnswers503AndResponsesCloseDuringTheLeadTime() throws Exception {
        startMaintd("drain: { lead-time: 10m, timeout: 30s }");
        URI health = URI.create("http://127.0.0.1:" + maintd.port("admin") + "/healthz");
        assertEquals(200, client.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

        maintd.signal("TERM");
        maintd.awaitLog("drain: started");

        HttpResponse<String> healthz = client.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, healthz.statusCode());
        assertEquals("drain\n", healthz.body());
        HttpResponse<String> served = client.send(HttpRequest.newBuilder(proxy("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, served.statusCode(), "the lead time still serves: the balancer has not noticed yet");
        assertEquals("close", served.headers().firstValue("connection").orElse(""));
    }

    @Test
    void secondSigtermExitsAtOnceWithForced() throws Exception {
        startMaintd("drain: { lead-time: 10m, timeout: 30s }");

        maintd.signal("TERM");
        maintd.awaitLog("drain: started");
        maintd.signal("TERM");

        assertEquals(ExitCode.FORCED.code, maintd.awaitExit());
        assertTrue(maintd.log().contains("drain: forced by a second stop signal (SIGTERM after SIGTERM), exit 4"), maintd.log());
    }

    @Test
    void drainTimeoutCutsRequestsThatNeverFinishAndStillExitsZero() throws Exception {
        startMaintd("drain: { lead-time: 0s, timeout: 1s }");
        CompletableFuture<HttpResponse<String>> stuck = holdRequests(1).get(0);

        maintd.signal("TERM");

        assertEquals(0, maintd.awaitExit());
        assertTrue(maintd.log().contains("drain: timeout after 1s, cutting the rest (inflight=1"), maintd.log());
        assertThrows(Exception.class, () -> stuck.get(30, TimeUnit.SECONDS));
    }
}
