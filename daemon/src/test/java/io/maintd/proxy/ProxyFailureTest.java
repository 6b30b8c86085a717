package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.config.MaintdConfig.CheckConfig;
import io.maintd.config.MaintdConfig.Limits;
import io.maintd.health.ServerHealth;
import io.maintd.testsupport.ScriptedBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(60)
class ProxyFailureTest {
    @TempDir
    Path dir;

    private ProxyFixture proxy(TestFlags flags, List<InetSocketAddress> servers, Limits limits) {
        return new ProxyFixture(flags, TestConfigs.config(flags.path(), servers, null, limits));
    }

    /** A loopback address where nothing listens: connections to it are refused. */
    private static InetSocketAddress refusingAddress() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, TestConfigs.loopback(0).getAddress())) {
            return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
        }
    }

    @Test
    void backendDownGetsTheUnavailablePageNotAHang() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = proxy(flags, List.of(refusingAddress()), TestConfigs.limits());
             RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response first = raw.send("GET / HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n").read();
            assertEquals(503, first.status());
            assertEquals("{\"status\":\"error\",\"code\":503}", first.text());
            assertEquals("no-store", first.header("cache-control"));
            // The server is down now, and the only one: it is tried again rather than refused untried.
            RawHttp.Response second = raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(503, second.status());
            assertTrue(second.text().contains("503 Service Unavailable"));
            assertEquals(2, proxy.counters.requests(Route.ERROR));
        }
    }

    @Test
    void connectTimeoutGetsTheBadGatewayPage() throws Exception {
        // A listener that never accepts and whose accept queue is full: Linux drops further
        // SYNs instead of refusing them, so connecting to it really times out on loopback.
        try (ServerSocket silent = new ServerSocket(0, 1, TestConfigs.loopback(0).getAddress())) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            List<Socket> queued = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(address, 200);
                        queued.add(s);
                    } catch (SocketTimeoutException full) {
                        s.close();
                        break;
                    }
                }
                Limits quickConnect = TestConfigs.limits(b -> b.connectTimeout = Duration.ofMillis(300));
                try (TestFlags flags = TestFlags.create(dir);
                     ProxyFixture proxy = proxy(flags, List.of(address), quickConnect);
                     RawHttp raw = new RawHttp(proxy.port())) {
                    RawHttp.Response response = raw.send("GET / HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n").read();
                    assertEquals(502, response.status());
                    assertEquals("{\"status\":\"error\",\"code\":502}", response.text());
                    assertEquals(1, proxy.counters.requests(Route.ERROR));
                }
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    @Test
    void refusedServerIsSkippedAndTheRequestRetriedOnAnother() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             TestBackend live = new TestBackend("live");
             ProxyFixture proxy = proxy(flags, List.of(refusingAddress(), live.address()), TestConfigs.limits());
             RawHttp raw = new RawHttp(proxy.port())) {
            for (int i = 0; i < 6; i++) {
                RawHttp.Response response = raw.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc").read();
                assertEquals(200, response.status());
                assertEquals("3", response.text());
            }
            assertEquals(6, live.requests.get());
        }
    }

    /**
     * nginx never marks the last server of a group down: with every server down (here by
     * checks that fail while the servers still serve), a request is still tried on one of them
     * instead of getting a 503 untried.
     */
    @Test
    void withEveryServerDownARequestIsStillTriedOnOne() throws Exception {
        ScriptedBackend.Script failingChecks = (index, socket, in, out) -> {
            for (String head = ScriptedBackend.readHead(in); head != null; head = ScriptedBackend.readHead(in)) {
                if (head.startsWith("GET /health ")) {
                    out.write("HTTP/1.1 500 Sick\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    return;
                }
                ScriptedBackend.respond(out, "served");
            }
        };
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend one = new ScriptedBackend(failingChecks);
             ScriptedBackend two = new ScriptedBackend(failingChecks);
             ProxyFixture proxy = new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(one.address(), two.address()),
                     null, TestConfigs.limits(), new CheckConfig(Duration.ofMillis(50), 1, 1, "/health", 0)));
             RawHttp raw = new RawHttp(proxy.port())) {
            for (int i = 0; i < 10_000 && !proxy.health.view().get(0).servers().stream().noneMatch(ServerHealth::isUp); i++) {
                LockSupport.parkNanos(1_000_000);
            }
            assertTrue(proxy.health.view().get(0).servers().stream().noneMatch(ServerHealth::isUp), "both servers down");
            RawHttp.Response response = raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(200, response.status());
            assertEquals("served", response.text());
        }
    }

    @Test
    void requestsAreSpreadRoundRobinOverServers() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             TestBackend one = new TestBackend("one");
             TestBackend two = new TestBackend("two");
             ProxyFixture proxy = proxy(flags, List.of(one.address(), two.address()), TestConfigs.limits());
             RawHttp raw = new RawHttp(proxy.port())) {
            for (int i = 0; i < 10; i++) {
                assertEquals(200, raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
            assertEquals(5, one.requests.get());
            assertEquals(5, two.requests.get());
        }
    }

    @Test
    void backendThatDoesNotAnswerInTimeGetsTheGatewayTimeoutPage() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             TestBackend backend = new TestBackend("app");
             ProxyFixture proxy = proxy(flags, List.of(backend.address()),
                     TestConfigs.limits(b -> b.responseTimeout = Duration.ofMillis(300)));
             RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response response = raw.send("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(504, response.status());
            assertTrue(response.text().contains("did not answer in time"));
            // The client's connection survives the upstream's failure.
            assertEquals(200, raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
        }
    }

    @Test
    void responseTimeoutIsRearmedForEachRequestOnAKeptAliveConnection() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             TestBackend backend = new TestBackend("app");
             ProxyFixture proxy = proxy(flags, List.of(backend.address()),
                     TestConfigs.limits(b -> b.responseTimeout = Duration.ofMillis(300)));
             RawHttp raw = new RawHttp(proxy.port())) {
            // The first request leaves the connection's timer pending with an older deadline;
            // the hanging one must still get its full timeout and then its 504.
            assertEquals(200, raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertEquals(200, raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertEquals(504, raw.send("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertEquals(200, raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
        }
    }

    static Stream<Arguments> refusedHeads() {
        return Stream.of(
                Arguments.of("oversized headers", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n", 431),
                Arguments.of("too long a request line", "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
                Arguments.of("malformed", "GET / NOTHTTP/1.1\r\nHost: x\r\n\r\n", 400));
    }

    /** A head the codec refuses gets its status, Connection: close, an error count, and never the backend. */
    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("refusedHeads")
    void aRefusedRequestHeadGetsItsStatusAndTheConnectionCloses(String what, String request, int status) throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             TestBackend backend = new TestBackend("app");
             ProxyFixture proxy = proxy(flags, List.of(backend.address()), TestConfigs.limits());
             RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response response = raw.send(request).read();
            assertEquals(status, response.status());
            assertEquals("close", response.header("connection"));
            assertTrue(raw.closedByServer());
            assertEquals(0, backend.requests.get());
            assertEquals(1, proxy.counters.requests(Route.ERROR));
        }
    }

    @Test
    void clientLeavingMidBodyClosesTheUpstreamConnection() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             TestBackend backend = new TestBackend("app");
             ProxyFixture proxy = proxy(flags, List.of(backend.address()), TestConfigs.limits())) {
            try (RawHttp raw = new RawHttp(proxy.port())) {
                raw.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n");
                raw.send(new byte[1 << 20]);
            }
            String aborted = backend.aborted.poll(30, TimeUnit.SECONDS);
            assertNotNull(aborted, "the backend saw its request body end early");
            awaitZero(proxy.counters::inFlight);
            assertEquals(1, proxy.counters.requestsWithStatusClass(4), "recorded as 499, client closed");
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheClientIdleTimeout() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             TestBackend backend = new TestBackend("app");
             ProxyFixture proxy = proxy(flags, List.of(backend.address()),
                     TestConfigs.limits(b -> b.clientIdleTimeout = Duration.ofMillis(200)));
             RawHttp raw = new RawHttp(proxy.port())) {
            assertEquals(200, raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertTrue(raw.closedByServer());
            awaitZero(proxy.counters::openConnections);
        }
    }

    /** Waits (bounded) for a gauge that the event loop updates after the fact the test already observed. */
    private static void awaitZero(java.util.function.LongSupplier gauge) {
        for (int i = 0; i < 10_000 && gauge.getAsLong() != 0; i++) {
            LockSupport.parkNanos(1_000_000);
        }
        assertEquals(0, gauge.getAsLong());
    }
}
