package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.maintd.testsupport.ScriptedBackend;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A body that fails to decode, or ends early, is never completed on the other side: not a
 * request to the backend, not a response to the client. Judged by a raw backend that records
 * every byte it received.
 */
@Timeout(60)
class MalformedBodyTest {
    private static final String UPLOAD = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String SECOND = "GET /second HTTP/1.1\r\nHost: x\r\n\r\n";

    @TempDir
    Path dir;

    private ProxyFixture proxy(TestFlags flags, ScriptedBackend backend) {
        return new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend.address()), null,
                TestConfigs.limits()));
    }

    /** Each body, and the data of its chunks that came before the bad part (all the backend may get). */
    static Stream<Arguments> malformedChunkedBodies() {
        return Stream.of(
                arguments("letters as chunk size", "5\r\nhello\r\nZZ\r\nworld\r\n0\r\n\r\n", "5\r\nhello\r\n"),
                arguments("negative chunk size", "-3\r\nabc\r\n0\r\n\r\n", ""),
                arguments("hex digit then junk", "3g\r\nabc\r\n0\r\n\r\n", ""),
                arguments("chunk size overflowing 64 bits", "ffffffffffffffff1\r\nabc\r\n0\r\n\r\n", ""),
                arguments("space before the chunk size", " 3\r\nabc\r\n0\r\n\r\n", ""),
                arguments("bare LF inside a chunk extension", "3;ext=a\nb\r\nabc\r\n0\r\n\r\n", ""),
                arguments("100 KB chunk extension", "3;" + "e".repeat(100_000) + "\r\nabc\r\n0\r\n\r\n", ""),
                arguments("chunk data longer than its size", "2\r\nabc\r\n0\r\n\r\n", "2\r\nab"),
                arguments("second chunk bad after a good one", "3\r\nabc\r\n3\r\ndefX\r\n0\r\n\r\n",
                        "3\r\nabc\r\n3\r\ndef"),
                arguments("bad line in the trailer of the last chunk", "3\r\nabc\r\n0\r\nnocolon\r\n\r\n",
                        "3\r\nabc\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedChunkedBodies")
    void malformedChunkedRequestBodyIsNeverCompletedUpstream(String name, String body, String bytesBeforeTheFault)
            throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = ScriptedBackend.answeringEachRequest();
             ProxyFixture proxy = proxy(flags, backend);
             RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response response = raw.send(UPLOAD + body + SECOND).read();
            assertEquals(400, response.status());
            assertEquals("close", response.header("connection"));
            assertTrue(raw.closedByServer(), "what followed the bad body was not read as a request");

            String received = backend.received(0);
            assertTrue(received.startsWith("POST /upload HTTP/1.1\r\n"), received);
            assertEquals(bytesBeforeTheFault, received.substring(received.indexOf("\r\n\r\n") + 4),
                    "the body as sent, up to where its framing broke: never its end");
            assertFalse(received.contains("/second"), "the pipelined request was not smuggled upstream");
            assertEquals(1, backend.connections.get());
            assertEquals(1, proxy.counters.rejected(RequestRejection.BODY));
            assertEquals(1, proxy.counters.requests(Route.ERROR, 4));
        }
    }

    @Test
    void malformedChunkedBodyOfARequestForTheMaintenancePageGets400() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = ScriptedBackend.answeringEachRequest();
             ProxyFixture proxy = proxy(flags, backend);
             RawHttp raw = new RawHttp(proxy.port())) {
            flags.set("maint", 1);
            RawHttp.Response response = raw.send(UPLOAD + "5\r\nhello\r\nZZ\r\n" + SECOND).read();
            assertEquals(400, response.status());
            assertEquals("close", response.header("connection"));
            assertTrue(raw.closedByServer(), "/second was not answered as if the body had ended");
            assertEquals(0, backend.connections.get());
            assertEquals(1, proxy.counters.rejected(RequestRejection.BODY));
        }
    }

    /** A backend that answers before reading the body, then streams a response that has not ended. */
    @Test
    void malformedBodyAfterTheResponseStartedCutsTheResponseShort() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = new ScriptedBackend(
                     answersOnceWith("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nearly\r\n"));
             ProxyFixture proxy = proxy(flags, backend);
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send(UPLOAD + "5\r\nhello\r\n");
            assertEquals(200, raw.readHead().status());
            assertEquals("early", new String(raw.readChunk()));
            raw.send("ZZ\r\n" + SECOND);
            assertTrue(raw.closedByServer(), "the response ended without its last chunk");
            String received = backend.received(0);
            assertEquals("5\r\nhello\r\n", received.substring(received.indexOf("\r\n\r\n") + 4));
            assertEquals(1, proxy.counters.rejected(RequestRejection.BODY));
        }
    }

    /** Reads a request head, sends {@code response} (whatever it is), then reads until the proxy closes. */
    private static ScriptedBackend.Script answersOnceWith(String response) {
        return (index, socket, in, out) -> {
            ScriptedBackend.readHead(in);
            out.write(response.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            in.transferTo(OutputStream.nullOutputStream());
        };
    }

    static Stream<Arguments> requestsCutShortByTheClient() {
        return Stream.of(
                arguments("Content-Length body", "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello",
                        "hello"),
                arguments("chunked body mid-chunk", UPLOAD + "a\r\nhello", "a\r\nhello"),
                arguments("chunked body before its last chunk", UPLOAD + "5\r\nhello\r\n", "5\r\nhello\r\n"));
    }

    /** The client leaves mid-body: the backend sees its connection close with the body unfinished. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsCutShortByTheClient")
    void requestBodyCutShortByTheClientIsNeverCompletedUpstream(String name, String request, String forwardedBody)
            throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = ScriptedBackend.answeringEachRequest();
             ProxyFixture proxy = proxy(flags, backend)) {
            try (RawHttp raw = new RawHttp(proxy.port())) {
                raw.send(request);
                awaitForwarded(backend, forwardedBody);
            }
            String received = backend.received(0);
            assertEquals(forwardedBody, received.substring(received.indexOf("\r\n\r\n") + 4));
            // The aborted connection went nowhere near the pool: the next request opens another.
            try (RawHttp raw = new RawHttp(proxy.port())) {
                assertEquals(200, raw.send(SECOND).read().status());
            }
            assertEquals(2, backend.connections.get());
            assertEquals("GET /second HTTP/1.1", backend.receivedSoFar(1).substring(0, 20));
        }
    }

    /** Waits (bounded) until the backend has what the proxy had to forward before the client left. */
    private static void awaitForwarded(ScriptedBackend backend, String body) throws InterruptedException {
        for (int i = 0; i < 1000 && !backend.receivedSoFar(0).endsWith("\r\n\r\n" + body); i++) {
            Thread.sleep(10);
        }
    }

    static Stream<Arguments> malformedChunkedResponses() {
        return Stream.of(
                arguments("letters as chunk size", "5\r\nhello\r\nZZ\r\nworld\r\n0\r\n\r\n"),
                arguments("chunk data longer than its size", "5\r\nhelloXX\r\n0\r\n\r\n"),
                arguments("bad line in the trailer", "5\r\nhello\r\n0\r\nnocolon\r\n\r\n"));
    }

    /**
     * A response whose chunked body fails to decode reaches the client without its end, and the
     * backend connection is dropped rather than pooled: the next request opens a new one.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedChunkedResponses")
    void malformedChunkedResponseIsNeverCompletedToTheClient(String name, String body) throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = new ScriptedBackend((index, socket, in, out) -> {
                 if (index == 0) {
                     answersOnceWith("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
                             .run(index, socket, in, out);
                 } else {
                     ScriptedBackend.answerEachRequest(in, out);
                 }
             });
             ProxyFixture proxy = proxy(flags, backend)) {
            try (RawHttp raw = new RawHttp(proxy.port())) {
                RawHttp.Response head = raw.send("GET /broken HTTP/1.1\r\nHost: x\r\n\r\n" + SECOND).readHead();
                assertEquals(200, head.status());
                String rest = new String(raw.readAvailableUntilClose());
                assertTrue(rest.startsWith("5\r\nhello\r\n") || rest.isEmpty(), rest);
                assertFalse(rest.contains("\r\n0\r\n"), "the client got a last chunk: " + rest);
                assertFalse(rest.contains("HTTP/1.1"), "/second was not answered on the cut connection");
            }
            assertFalse(backend.received(0).contains("/second"));
            try (RawHttp raw = new RawHttp(proxy.port())) {
                assertEquals(200, raw.send(SECOND).read().status());
            }
            assertEquals(2, backend.connections.get());
        }
    }

    /**
     * An HTTP/1.0 client gets a body that ends where the connection closes, so a plain close would
     * look like a complete response: the connection is reset instead.
     */
    @Test
    void malformedChunkedResponseToAnHttp10ClientResetsTheConnection() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = new ScriptedBackend(
                     answersOnceWith("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZ\r\n"));
             ProxyFixture proxy = proxy(flags, backend);
             RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response head = raw.send("GET /broken HTTP/1.0\r\n\r\n").readHead();
            assertEquals(200, head.status());
            assertEquals("close", head.header("connection"));
            InputStream body = raw.input();
            assertThrows(SocketException.class, () -> {
                while (body.read() >= 0) {
                    // the body up to the fault, then the reset
                }
            }, "the connection was reset, not closed as if the body were complete");
        }
    }
}
