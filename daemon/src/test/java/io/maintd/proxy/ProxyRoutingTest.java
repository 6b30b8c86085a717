package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.demo.DemoConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ProxyRoutingTest {
    private static final String PAGE = "<!doctype html><title>Back soon</title><h1>We are upgrading</h1>\n";

    @TempDir
    Path dir;
    private TestFlags flags;
    private TestBackend backend;
    private ProxyFixture proxy;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        flags = TestFlags.create(dir);
        backend = new TestBackend("app-1");
        Path page = Files.writeString(dir.resolve("maintenance.html"), PAGE);
        proxy = new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend.address()), page,
                TestConfigs.limits()));
    }

    @AfterEach
    void stop() {
        proxy.close();
        backend.close();
        flags.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.uri(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestGoesToTheBackendWithForwardingHeaders() throws Exception {
        HttpResponse<String> response = get("/hello?x=1");
        assertEquals(200, response.statusCode());
        assertEquals("app-1 GET /hello?x=1\n", response.body());
        assertEquals("127.0.0.1", response.headers().firstValue("seen-x-forwarded-for").orElseThrow());
        assertEquals("http", response.headers().firstValue("seen-x-forwarded-proto").orElseThrow());
        assertEquals("1.1 maintd", response.headers().firstValue("seen-via").orElseThrow());
        assertEquals("1.1 maintd", response.headers().firstValue("via").orElseThrow());
    }

    @Test
    void forwardedForIsAppendedToWhatTheClientSent() throws Exception {
        HttpResponse<String> response = get("/", "X-Forwarded-For", "203.0.113.7");
        assertEquals("203.0.113.7, 127.0.0.1", response.headers().firstValue("seen-x-forwarded-for").orElseThrow());
    }

    @Test
    void hopByHopHeadersStayOnTheirHop() throws Exception {
        try (RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response response = raw.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, X-Hop\r\n"
                    + "X-Hop: secret\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic Zm9v\r\n\r\n")
                    .read();
            assertEquals(200, response.status());
            assertEquals("null", response.header("seen-connection"));
            assertEquals("null", response.header("seen-keep-alive"));
            assertEquals("null", response.header("seen-x-hop"));
            assertEquals("null", response.header("seen-te"));
            assertEquals("null", response.header("seen-proxy-authorization"));
            assertNull(response.header("keep-alive"), "the backend's Keep-Alive must not reach the client");
        }
    }

    @Test
    void maintenanceServesTheConfiguredPage() throws Exception {
        flags.set("maint", 1);
        HttpResponse<String> response = get("/anything");
        assertEquals(503, response.statusCode());
        assertEquals(PAGE, response.body());
        assertEquals("120", response.headers().firstValue("retry-after").orElseThrow());
        assertEquals("no-store", response.headers().firstValue("cache-control").orElseThrow());
        assertEquals("text/html; charset=utf-8", response.headers().firstValue("content-type").orElseThrow());
        assertEquals(String.valueOf(PAGE.length()), response.headers().firstValue("content-length").orElseThrow());
        assertEquals(0, backend.requests.get());
    }

    @Test
    void maintenanceAnswersJsonWhenTheClientPrefersIt() throws Exception {
        flags.set("maint", 1);
        HttpResponse<String> response = get("/api", "Accept", "text/html;q=0.5, application/json");
        assertEquals(503, response.statusCode());
        assertEquals("{\"status\":\"maintenance\",\"retry_after\":120}", response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
    }

    @Test
    void headForTheMaintenancePageGetsHeadersOnly() throws Exception {
        flags.set("maint", 1);
        try (RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response head = raw.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertEquals(503, head.status());
            assertEquals(String.valueOf(PAGE.length()), head.header("content-length"));
            // The next response on the same connection starts right where the headers ended.
            RawHttp.Response next = raw.send("GET / HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n").read();
            assertEquals("{\"status\":\"maintenance\",\"retry_after\":120}", next.text());
        }
    }

    @Test
    void bypassHeaderReachesTheBackendDuringMaintenance() throws Exception {
        flags.set("maint", 1);
        assertEquals(200, get("/", DemoConfig.BYPASS_HEADER, TestFlags.BYPASS_TOKEN).statusCode());
        assertEquals(503, get("/", DemoConfig.BYPASS_HEADER, "wrong-token").statusCode());
        assertEquals(1, proxy.counters.requests(Route.BYPASS));
        assertEquals(1, proxy.counters.requests(Route.MAINTENANCE));
    }

    @Test
    void shedRefusesThatPercentageWithinStatisticalBounds() throws Exception {
        flags.set("shed", 30);
        int total = 1000;
        int shed = 0;
        for (int i = 0; i < total; i++) {
            HttpResponse<String> response = get("/", "Accept", "application/json");
            if (response.statusCode() == 503) {
                assertEquals("{\"status\":\"shed\",\"retry_after\":120}", response.body());
                assertEquals("120", response.headers().firstValue("retry-after").orElseThrow());
                shed++;
            } else {
                assertEquals(200, response.statusCode());
            }
        }
        // Binomial(1000, 0.3): mean 300, sigma 14.5; five sigma either side.
        assertTrue(shed > 227 && shed < 373, "shed " + shed + " of " + total);
        assertEquals(shed, proxy.counters.requests(Route.SHED));
    }

    @Test
    void flagsAreReadOnEveryRequestOfAKeptAliveConnection() throws Exception {
        try (RawHttp raw = new RawHttp(proxy.port())) {
            assertEquals(200, raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            flags.set("maint", 1);
            assertEquals(503, raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            flags.set("maint", 0);
            assertEquals(200, raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
        }
    }

    @Test
    void drainAsksKeepAliveClientsToReconnect() throws Exception {
        flags.set("drain", 1);
        try (RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response response = raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(200, response.status());
            assertEquals("close", response.header("connection"));
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void http10ClientGetsAClosedConnectionUnlessItAsksForKeepAlive() throws Exception {
        try (RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response kept = raw.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("keep-alive", kept.header("connection"));
            RawHttp.Response closed = raw.send("GET / HTTP/1.0\r\n\r\n").read();
            assertEquals(200, closed.status());
            assertEquals("close", closed.header("connection"));
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void countersReturnToZeroInFlightAndCountByRoute() throws Exception {
        get("/");
        flags.set("maint", 1);
        get("/");
        get("/");
        assertEquals(3, proxy.counters.requests());
        assertEquals(1, proxy.counters.requests(Route.BACKEND));
        assertEquals(2, proxy.counters.requests(Route.MAINTENANCE));
        assertEquals(2, proxy.counters.requestsWithStatusClass(5));
        assertEquals(0, proxy.counters.inFlight());
        assertFalse(proxy.counters.openConnections() < 1, "the client's keep-alive connection is open");
    }
}
