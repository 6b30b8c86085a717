package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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

    private ProxyFixture proxy(TestFlags flags, ScriptedBackend backend) {
        return new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend.address()), null,
                TestConfigs.limits()));
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
