package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.config.MaintdConfig.Limits;
import io.maintd.testsupport.ScriptedBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class UpstreamConnectionReuseTest {
    @TempDir
    Path dir;

    /**
     * Every connection answers its first request with keep-alive, then closes on the second
     * without answering, as a server whose keep-alive timeout just expired does.
     */
    private static ScriptedBackend closesOnSecondRequest() throws Exception {
        return new ScriptedBackend((index, socket, in, out) -> {
            ScriptedBackend.readHead(in);
            ScriptedBackend.respond(out, "connection " + index);
            ScriptedBackend.readHead(in);
        });
    }

    /**
     * Answers a request only once {@code parties} requests wait, each on its own connection, so
     * every round of that many concurrent requests needs that many upstream connections at once.
     */
    private static ScriptedBackend answersInRounds(int parties) throws Exception {
        CyclicBarrier round = new CyclicBarrier(parties);
        return new ScriptedBackend((index, socket, in, out) -> {
            while (ScriptedBackend.readHead(in) != null) {
                try {
                    round.await();
                } catch (InterruptedException | BrokenBarrierException e) {
                    return;
                }
                ScriptedBackend.respond(out, "ok");
            }
        });
    }

    /** Sends one request on each of {@code clients} new connections at once and checks every answer. */
    private static void concurrentRound(ProxyFixture proxy, int clients) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                statuses.add(senders.submit(() -> {
                    try (RawHttp raw = new RawHttp(proxy.port())) {
                        return raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status();
                    }
                }));
            }
            for (Future<Integer> status : statuses) {
                assertEquals(200, status.get());
            }
        } finally {
            senders.shutdownNow();
        }
    }

    private ProxyFixture proxy(TestFlags flags, ScriptedBackend backend) {
        return proxy(flags, backend, TestConfigs.limits());
    }

    private ProxyFixture proxy(TestFlags flags, ScriptedBackend backend, Limits limits) {
        return new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend.address()), null, limits));
    }

    @Test
    void keepAliveConnectionIsReusedForTheNextRequest() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = new ScriptedBackend((index, socket, in, out) -> {
                 for (int n = 0; ScriptedBackend.readHead(in) != null; n++) {
                     ScriptedBackend.respond(out, "connection " + index + " request " + n);
                 }
             });
             ProxyFixture proxy = proxy(flags, backend);
             RawHttp raw = new RawHttp(proxy.port())) {
            for (int n = 0; n < 3; n++) {
                assertEquals("connection 0 request " + n, raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            }
            assertEquals(1, backend.connections.get());
        }
    }

    /**
     * Idle connections are bounded by the requests that were in flight at once, so the default
     * pool keeps them all: 300 concurrent requests (150 per event loop, more than the 128 a loop
     * used to keep) open 300 connections and the next 300 reuse every one of them.
     */
    @Test
    void everyConnectionOfAConcurrentRoundIsReusedByTheNext() throws Exception {
        int clients = 300;
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = answersInRounds(clients);
             ProxyFixture proxy = proxy(flags, backend)) {
            concurrentRound(proxy, clients);
            assertEquals(clients, backend.connections.get());
            concurrentRound(proxy, clients);
            assertEquals(clients, backend.connections.get(), "the second round opened no connection");
        }
    }

    /**
     * With {@code upstream-max-idle: 1} each of the fixture's two event loops keeps one idle
     * connection, so of six concurrent connections at most two are reused by the next round.
     */
    @Test
    void upstreamMaxIdleBoundsWhatThePoolKeeps() throws Exception {
        int clients = 6;
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = answersInRounds(clients);
             ProxyFixture proxy = proxy(flags, backend, TestConfigs.limits(b -> b.upstreamMaxIdle = 1))) {
            concurrentRound(proxy, clients);
            assertEquals(clients, backend.connections.get());
            concurrentRound(proxy, clients);
            int opened = backend.connections.get() - clients;
            assertTrue(opened >= clients - 2 && opened <= clients,
                    "the second round opened " + opened + " connections; at most 2 could be reused");
        }
    }

    @Test
    void idempotentRequestOnAStaleConnectionIsRetriedOnAFreshOne() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = closesOnSecondRequest();
             ProxyFixture proxy = proxy(flags, backend);
             RawHttp raw = new RawHttp(proxy.port())) {
            assertEquals("connection 0", raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            RawHttp.Response retried = raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(200, retried.status());
            assertEquals("connection 1", retried.text());
        }
    }

    @Test
    void requestWithABodyOnAStaleConnectionIsNotRetried() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = closesOnSecondRequest();
             ProxyFixture proxy = proxy(flags, backend);
             RawHttp raw = new RawHttp(proxy.port())) {
            assertEquals("connection 0", raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            RawHttp.Response failed = raw.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello").read();
            assertEquals(502, failed.status());
            assertEquals(1, backend.connections.get(), "no second connection was opened for the POST");
        }
    }

    @Test
    void malformedResponseGetsTheBadGatewayPage() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = new ScriptedBackend((index, socket, in, out) -> {
                 ScriptedBackend.readHead(in);
                 out.write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                 out.flush();
                 ScriptedBackend.readHead(in);
             });
             ProxyFixture proxy = proxy(flags, backend);
             RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response response = raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(502, response.status());
            assertTrue(response.text().contains("502 Bad Gateway"));
        }
    }

    @Test
    void responseCutShortClosesTheClientConnection() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = new ScriptedBackend((index, socket, in, out) -> {
                 ScriptedBackend.readHead(in);
                 out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b".getBytes(StandardCharsets.US_ASCII));
                 out.flush();
             });
             ProxyFixture proxy = proxy(flags, backend);
             RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response head = raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
            assertEquals(200, head.status());
            assertEquals("100", head.header("content-length"));
            byte[] received = raw.readAvailableUntilClose();
            assertEquals("only ten b", new String(received, StandardCharsets.US_ASCII));
            assertTrue(received.length < 100, "the client saw the body end early");
        }
    }
}
