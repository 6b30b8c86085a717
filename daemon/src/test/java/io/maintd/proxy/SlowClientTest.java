package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.config.MaintdConfig.Limits;
import io.maintd.testsupport.ScriptedBackend;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: slow clients (slowloris) against real sockets. Before the request deadlines the
 * only timeout was the client idle timeout, which every byte restarted: a client sending a
 * header byte now and then, or a body byte now and then, kept its connection (and its backend
 * connection) for ever.
 */
@Timeout(120)
class SlowClientTest {
    private static final Duration TICK = Duration.ofMillis(300);
    /** Far beyond every deadline under test: only a proxy that never cuts reaches it. */
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private ProxyFixture proxy(TestFlags flags, InetSocketAddress backend, Consumer<TestConfigs.LimitsBuilder> change) {
        Limits limits = TestConfigs.limits(change);
        return new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend), null, limits));
    }

    @Test
    void twoHundredClientsTricklingTheirHeadsGet408AndAreClosed() throws Exception {
        try (TestBackend backend = new TestBackend("app");
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = proxy(flags, backend.address(), b -> b.headerTimeout = Duration.ofSeconds(1));
             TricklingClients clients = new TricklingClients(proxy.port(), 200, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")) {
            assertTrue(clients.trickleUntilClosed((byte) 'a', TICK, BOUND), "every slow head was cut");
            for (String answer : clients.answers()) {
                assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer);
                assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"), answer);
            }
            assertEquals(0, backend.requests.get());
            assertEquals(200, proxy.counters.requests(Route.ERROR, 4));
        }
    }

    @Test
    void aLateHeadIsAnsweredInJsonWhenTheHeadersThatArrivedAskedForIt() throws Exception {
        try (TestBackend backend = new TestBackend("app");
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = proxy(flags, backend.address(), b -> b.headerTimeout = Duration.ofSeconds(1));
             RawHttp raw = new RawHttp(proxy.port())) {
            // A header line is taken once the next one has begun (it could be folded), hence X-Next.
            raw.send("GET / HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nX-Next: 1\r\nX-Slow: a");
            RawHttp.Response response = raw.read();
            assertEquals(408, response.status());
            assertEquals("{\"status\":\"error\",\"code\":408}", response.text());
            assertEquals("close", response.header("connection"));
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void aRequestLineThatNeverEndsGets408Too() throws Exception {
        try (TestBackend backend = new TestBackend("app");
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = proxy(flags, backend.address(), b -> b.headerTimeout = Duration.ofSeconds(1));
             RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response response = raw.send("GET /still-typing").read();
            assertEquals(408, response.status());
            assertTrue(response.text().contains("408 Request Timeout"), response.text());
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWithoutAnAnswerAfterTheHeaderTimeout() throws Exception {
        try (TestBackend backend = new TestBackend("app");
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = proxy(flags, backend.address(), b -> b.headerTimeout = Duration.ofSeconds(1));
             RawHttp raw = new RawHttp(proxy.port())) {
            assertEquals(0, raw.readAvailableUntilClose().length, "closed, like a browser pre-connect, with no 408");
            assertEquals(0, proxy.counters.requests());
        }
    }

    @Test
    void theGapBetweenKeepAliveRequestsIsTheIdleTimeoutsNotTheHeadDeadlines() throws Exception {
        try (TestBackend backend = new TestBackend("app");
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = proxy(flags, backend.address(), b -> b.headerTimeout = Duration.ofMillis(500));
             RawHttp raw = new RawHttp(proxy.port())) {
            assertEquals(200, raw.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            // Longer than the header timeout, far shorter than the idle timeout (60 s).
            TimeUnit.MILLISECONDS.sleep(1500);
            RawHttp.Response second = raw.send("GET /second HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(200, second.status());
            assertEquals("app GET /second\n", second.text());
        }
    }

    @Test
    void everyRequestOnAKeepAliveConnectionHasItsOwnHeadDeadline() throws Exception {
        try (TestBackend backend = new TestBackend("app");
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = proxy(flags, backend.address(), b -> b.headerTimeout = Duration.ofSeconds(1));
             TricklingClients clients = new TricklingClients(proxy.port(), 1,
                     "GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\nX-Slow: ")) {
            assertTrue(clients.trickleUntilClosed((byte) 'a', TICK, BOUND));
            String answer = clients.answers().get(0);
            assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
            assertTrue(answer.contains("app GET /first\nHTTP/1.1 408 Request Timeout\r\n"), answer);
        }
    }

    /**
     * A request sent while the one before it is still being answered waits its turn, and its head
     * deadline starts only when its turn comes: a backend slower than the header timeout does
     * not make the next request late. (The proxy reads such a request as it arrives, ahead of
     * asking for it.)
     */
    @Test
    void aRequestSentWhileTheOneBeforeIsAnsweredSlowlyIsNotLate() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((index, socket, in, out) -> {
                 ScriptedBackend.readHead(in);
                 sleep(1500);
                 ScriptedBackend.respond(out, "first");
                 ScriptedBackend.answerEachRequest(in, out);
             });
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = proxy(flags, backend.address(), b -> b.headerTimeout = Duration.ofMillis(500));
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
            // A socket read of its own, well within the first response's 1.5 s.
            sleep(300);
            raw.send("GET /second HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response first = raw.read(false);
            assertEquals(200, first.status());
            assertEquals("first", first.text());
            RawHttp.Response second = raw.read(false);
            assertEquals(200, second.status());
            assertEquals("GET /second HTTP/1.1", second.text());
        }
    }

    /** The 500-slow-POSTs case, scaled down: each trickling body held a backend connection for ever. */
    @Test
    void fiftyTrickledBodiesGet408AndTheirBackendConnectionsAreClosed() throws Exception {
        try (TestBackend backend = new TestBackend("app");
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = proxy(flags, backend.address(), b -> {
                 b.bodyTimeout = Duration.ofSeconds(1);
                 b.bodyMinRate = 100;
             });
             TricklingClients clients = new TricklingClients(proxy.port(), 50,
                     "POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")) {
            assertTrue(clients.trickleUntilClosed((byte) 'b', TICK, BOUND), "every slow body was cut");
            for (String answer : clients.answers()) {
                assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer);
            }
            awaitCount(backend.aborted::size, 50, "the backend saw every body cut short (its connection closed)");
            assertEquals(50, proxy.counters.requests(Route.ERROR, 4));
        }
    }

    /** One wait longer than the body timeout is enough, however many bytes came before it. */
    @Test
    void aBodyThatStallsLongerThanTheBodyTimeoutIsCut() throws Exception {
        try (TestBackend backend = new TestBackend("app");
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = proxy(flags, backend.address(), b -> {
                 b.bodyTimeout = Duration.ofSeconds(1);
                 b.bodyMinRate = 100;
             });
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 20000\r\n\r\n").send(new byte[10_000]);
            assertEquals(408, raw.read().status());
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void aSlowBodyAboveTheMinimumRateIsNotCut() throws Exception {
        try (TestBackend backend = new TestBackend("app");
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = proxy(flags, backend.address(), b -> {
                 b.bodyTimeout = Duration.ofSeconds(1);
                 b.bodyMinRate = 100;
             });
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 800\r\n\r\n");
            // 40 bytes every 100 ms: 400 bytes/s for 2 s, four times the minimum rate.
            for (int i = 0; i < 20; i++) {
                raw.send(new byte[40]);
                TimeUnit.MILLISECONDS.sleep(100);
            }
            RawHttp.Response response = raw.read();
            assertEquals(200, response.status());
            assertEquals("800", response.text());
        }
    }

    /**
     * While the backend is slow to take the body the proxy stops reading the client; that time is
     * the backend's, not the client's. Counted against the client, 8 MiB through a backend that
     * needs a couple of seconds would be far beyond 1 s + 8 MiB / 64 MiB/s.
     */
    @Test
    void timeTheBackendTakesToReadTheBodyDoesNotCountAgainstTheClient() throws Exception {
        int size = 8 << 20;
        try (ScriptedBackend backend = new ScriptedBackend((index, socket, in, out) -> {
            String head = ScriptedBackend.readHead(in);
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            for (int n; total < size && (n = in.read(buffer)) > 0; total += n) {
                sleep(15);
            }
            ScriptedBackend.respond(out, head == null ? "no head" : Long.toString(total));
        });
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = proxy(flags, backend.address(), b -> {
                 b.bodyTimeout = Duration.ofSeconds(1);
                 b.bodyMinRate = 64 << 20;
             });
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("POST /slow-reader HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n");
            OutputStream out = raw.output();
            byte[] block = new byte[64 * 1024];
            for (int sent = 0; sent < size; sent += block.length) {
                out.write(block);
            }
            out.flush();
            RawHttp.Response response = raw.read();
            assertEquals(200, response.status());
            assertEquals(Integer.toString(size), response.text());
        }
    }

    /** A response already under way cannot be replaced by a 408: the connection just ends. */
    @Test
    void aLateBodyWhoseResponseHasStartedIsCutWithoutA408() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((index, socket, in, out) -> {
            ScriptedBackend.readHead(in);
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nearly\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.transferTo(OutputStream.nullOutputStream());
        });
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = proxy(flags, backend.address(), b -> {
                 b.bodyTimeout = Duration.ofSeconds(1);
                 b.bodyMinRate = 100;
             });
             TricklingClients clients = new TricklingClients(proxy.port(), 1,
                     "POST /early HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")) {
            assertTrue(clients.trickleUntilClosed((byte) 'b', TICK, BOUND));
            String answer = clients.answers().get(0);
            assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
            assertTrue(answer.contains("early"), answer);
            assertFalse(answer.contains("408"), answer);
        }
    }

    /** After a protocol switch the connection is no longer HTTP: a quiet tunnel is not a late head. */
    @Test
    void aTunnelQuieterThanTheHeaderTimeoutStaysOpen() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((index, socket, in, out) -> {
            ScriptedBackend.readHead(in);
            out.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.transferTo(out);
        });
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = proxy(flags, backend.address(), b -> b.headerTimeout = Duration.ofMillis(500));
             Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /tunnel HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertTrue(ScriptedBackend.readHead(in).startsWith("HTTP/1.1 101"));
            TimeUnit.MILLISECONDS.sleep(1500);
            out.write("still here".getBytes(StandardCharsets.US_ASCII));
            assertEquals("still here", new String(in.readNBytes(10), StandardCharsets.US_ASCII));
        }
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitCount(java.util.function.IntSupplier count, int expected, String what) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (count.getAsInt() < expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertEquals(expected, count.getAsInt(), what);
    }
}
