package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.maintd.testsupport.ScriptedBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proxy's request-head grammar as a table: malformed and ambiguous requests, the status
 * each gets, and the exact bytes a raw backend received for it (nothing, for a refused one).
 * The table was written against Netty's codec (issue 13) so that the parser replacing it
 * refuses what it refused and forwards what it forwarded; where the two differ on purpose the
 * case says so: the proxy now forwards heads and bodies as they came instead of re-encoding
 * them, and refuses obs-fold and whitespace runs in the request line instead of repairing them.
 */
@Timeout(120)
class MalformedRequestTableTest {
    /** What the proxy appends to every forwarded request head (docs/config.md, "Headers"). */
    static final String APPENDED = "x-forwarded-for: 127.0.0.1\r\nx-forwarded-proto: http\r\nvia: 1.1 maintd\r\n";
    private static final String HOST = "Host: x\r\n";

    @TempDir
    Path dir;

    /** A refused request: the status, and that nothing reaches the backend. */
    private static Arguments refused(String name, String request, int status) {
        return arguments(name, request, status, null);
    }

    /** An admitted request: answered by the backend (200), which received {@code head} + the proxy's additions + {@code body}. */
    private static Arguments forwarded(String name, String request, String head, String body) {
        return arguments(name, request, 200, head + APPENDED + "\r\n" + body);
    }

    private static Arguments forwarded(String name, String request, String head) {
        return forwarded(name, request, head, "");
    }

    static Stream<Arguments> requests() {
        String get = "GET / HTTP/1.1\r\n";
        String post = "POST /p HTTP/1.1\r\n";
        return Stream.of(
                // Framing: Content-Length and Transfer-Encoding (request smuggling, RFC 9112 section 6).
                refused("Content-Length and chunked", post + HOST + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400),
                refused("chunked and Content-Length", post + HOST + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400),
                refused("two different Content-Length", post + HOST + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
                refused("two equal Content-Length", post + HOST + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400),
                refused("Content-Length list", post + HOST + "Content-Length: 3, 3\r\n\r\nabc", 400),
                refused("Content-Length with a plus sign", post + HOST + "Content-Length: +3\r\n\r\nabc", 400),
                refused("negative Content-Length", post + HOST + "Content-Length: -1\r\n\r\n", 400),
                refused("Content-Length with letters", post + HOST + "Content-Length: 3a\r\n\r\nabc", 400),
                refused("Content-Length in hex", post + HOST + "Content-Length: 0x3\r\n\r\nabc", 400),
                refused("Content-Length overflowing 64 bits", post + HOST + "Content-Length: 99999999999999999999\r\n\r\n", 400),
                refused("empty Content-Length", post + HOST + "Content-Length: \r\n\r\n", 400),
                refused("Transfer-Encoding gzip without chunked", post + HOST + "Transfer-Encoding: gzip\r\n\r\nabc", 400),
                refused("Transfer-Encoding identity", post + HOST + "Transfer-Encoding: identity\r\n\r\nabc", 400),
                refused("Transfer-Encoding chunked then gzip", post + HOST + "Transfer-Encoding: chunked, gzip\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400),
                refused("Transfer-Encoding chunked twice", post + HOST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400),
                refused("Transfer-Encoding xchunked", post + HOST + "Transfer-Encoding: xchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400),
                refused("Transfer-Encoding chunked with a parameter", post + HOST + "Transfer-Encoding: chunked;q=1\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400),
                refused("Transfer-Encoding with a vertical tab", post + HOST + "Transfer-Encoding:\u000bchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400),
                refused("space before the colon of Transfer-Encoding", post + HOST + "Transfer-Encoding : chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400),
                refused("Transfer-Encoding on HTTP/1.0", "POST /p HTTP/1.0\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400),
                forwarded("Transfer-Encoding chunked in capitals", post + HOST + "Transfer-Encoding: CHUNKED\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                        post + HOST + "Transfer-Encoding: CHUNKED\r\n", "3\r\nabc\r\n0\r\n\r\n"),
                forwarded("Transfer-Encoding after a tab", post + HOST + "Transfer-Encoding:\tchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                        post + HOST + "Transfer-Encoding:\tchunked\r\n", "3\r\nabc\r\n0\r\n\r\n"),
                forwarded("Transfer_Encoding is another header", post + HOST + "Transfer_Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc",
                        post + HOST + "Transfer_Encoding: chunked\r\nContent-Length: 3\r\n", "abc"),
                forwarded("Content-Length with spaces around it", post + HOST + "Content-Length:   3  \r\n\r\nabc",
                        post + HOST + "Content-Length:   3  \r\n", "abc"),
                // Bodies go as they came: chunk sizes, extensions and trailers are the client's own.
                forwarded("chunk extensions are forwarded", post + HOST + "Transfer-Encoding: chunked\r\n\r\n3;name=value\r\nabc\r\n0\r\n\r\n",
                        post + HOST + "Transfer-Encoding: chunked\r\n", "3;name=value\r\nabc\r\n0\r\n\r\n"),
                forwarded("chunk size with leading zeros", post + HOST + "Transfer-Encoding: chunked\r\n\r\n003\r\nabc\r\n0\r\n\r\n",
                        post + HOST + "Transfer-Encoding: chunked\r\n", "003\r\nabc\r\n0\r\n\r\n"),
                forwarded("trailer fields are forwarded", post + HOST + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n",
                        post + HOST + "Transfer-Encoding: chunked\r\n", "3\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n"),

                // Line endings, folding and forbidden bytes (RFC 9112 sections 2.2, 5.2, 5.5).
                refused("bare LF line endings", "GET / HTTP/1.1\nHost: x\n\n", 400),
                refused("bare LF after one header", get + "Host: x\nX-A: b\r\n\r\n", 400),
                refused("bare CR inside a value", get + HOST + "X-A: a\rb\r\n\r\n", 400),
                refused("bare CR ending the request line", "GET / HTTP/1.1\rHost: x\r\n\r\n", 400),
                // RFC 9112 section 5.2 lets a server replace obs-fold with a space instead of refusing it.
                // RFC 9112 section 5.2 lets a server refuse obs-fold or unfold it; the proxy refuses, as HAProxy does.
                refused("obs-fold continuing a header", get + HOST + "X-A: a\r\n b\r\n\r\n", 400),
                refused("obs-fold with a tab", get + HOST + "X-A: a\r\n\tb\r\n\r\n", 400),
                refused("obs-fold as the first header line", get + " X-A: a\r\n" + HOST + "\r\n", 400),
                refused("NUL inside a value", get + HOST + "X-A: a\u0000b\r\n\r\n", 400),
                refused("NUL inside a name", get + HOST + "X-\u0000A: b\r\n\r\n", 400),
                refused("control character inside a value", get + HOST + "X-A: a\u0001b\r\n\r\n", 400),
                refused("space inside a name", get + HOST + "X A: b\r\n\r\n", 400),
                refused("space before the colon", get + "Host : x\r\n\r\n", 400),
                refused("tab before the colon", get + HOST + "X-A\t: b\r\n\r\n", 400),
                refused("empty name", get + HOST + ": b\r\n\r\n", 400),
                refused("line without a colon", get + HOST + "nocolon\r\n\r\n", 400),
                refused("separator inside a name", get + HOST + "X(A): b\r\n\r\n", 400),
                refused("byte above 0x7f inside a name", get + HOST + "X-\u00e9: b\r\n\r\n", 400),
                forwarded("byte above 0x7f inside a value (obs-text)", get + HOST + "X-A: caf\u00e9\r\n\r\n",
                        get + HOST + "X-A: caf\u00e9\r\n"),
                forwarded("empty value", get + HOST + "X-A:\r\n\r\n", get + HOST + "X-A:\r\n"),
                forwarded("no space after the colon", get + "Host:x\r\n\r\n", get + "Host:x\r\n"),
                forwarded("names keep their case and order", get + "hOsT: x\r\nx-b: 2\r\nX-A: 1\r\nx-b: 3\r\n\r\n",
                        get + "hOsT: x\r\nx-b: 2\r\nX-A: 1\r\nx-b: 3\r\n"),
                forwarded("an empty line before the request line is skipped", "\r\n" + get + HOST + "\r\n", get + HOST),

                // The request line (RFC 9112 section 3).
                // RFC 9112 section 3 lets a server split the request line on runs of whitespace or refuse
                // them; the proxy refuses them, as HAProxy does, so the backend cannot split it another way.
                refused("two spaces after the method", "GET  / HTTP/1.1\r\n" + HOST + "\r\n", 400),
                refused("tab between method and target", "GET\t/ HTTP/1.1\r\n" + HOST + "\r\n", 400),
                refused("no version", "GET /\r\n" + HOST + "\r\n", 400),
                refused("space after the version", "GET / HTTP/1.1 \r\n" + HOST + "\r\n", 400),
                refused("separator inside the method", "GE(T / HTTP/1.1\r\n" + HOST + "\r\n", 400),
                refused("empty method", " / HTTP/1.1\r\n" + HOST + "\r\n", 400),
                refused("version with two digits", "GET / HTTP/1.10\r\n" + HOST + "\r\n", 400),
                refused("version with a leading zero", "GET / HTTP/01.1\r\n" + HOST + "\r\n", 400),
                refused("version with junk", "GET / HTTP/1.1x\r\n" + HOST + "\r\n", 400),
                refused("line of junk", "hello\r\n\r\n", 400),
                forwarded("an unknown method is a token", "PURGE /x HTTP/1.1\r\n" + HOST + "\r\n", "PURGE /x HTTP/1.1\r\n" + HOST),
                forwarded("a lower-case method is another token", "get /x HTTP/1.1\r\n" + HOST + "\r\n", "get /x HTTP/1.1\r\n" + HOST),

                // Sizes (limits.maxInitialLineLength 4096, limits.maxHeaderSize 8192 in the tests).
                refused("request line over the limit", "GET /" + "a".repeat(5000) + " HTTP/1.1\r\n" + HOST + "\r\n", 414),
                refused("one header over the limit", get + HOST + "X-A: " + "a".repeat(9000) + "\r\n\r\n", 431),
                refused("header block over the limit", get + HOST + "X-A: a\r\n".repeat(1500) + "\r\n", 431),
                forwarded("header block just under the limit", get + HOST + "X-A: " + "a".repeat(8000) + "\r\n\r\n",
                        get + HOST + "X-A: " + "a".repeat(8000) + "\r\n"),

                // Host and target (RequestHeadCheck), a few of RequestHeadTest's table.
                refused("no Host", get + "\r\n", 400),
                refused("two Host headers", get + HOST + HOST + "\r\n", 400),
                refused("Host with userinfo", get + "Host: u@x\r\n\r\n", 400),
                refused("HTTP/1.2", "GET / HTTP/1.2\r\n" + HOST + "\r\n", 505),
                refused("CONNECT", "CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n", 501),
                refused("fragment in the target", "GET /a#b HTTP/1.1\r\n" + HOST + "\r\n", 400),
                forwarded("absolute-form becomes origin-form and Host", "GET http://y/a HTTP/1.1\r\n" + HOST + "\r\n",
                        "GET /a HTTP/1.1\r\nhost: y\r\n"),
                forwarded("HTTP/1.0 is forwarded as HTTP/1.1", "GET / HTTP/1.0\r\n" + HOST + "\r\n", get + HOST),

                // The documented edits (ForwardedHeaders).
                forwarded("Connection and the headers it names are dropped", get + HOST + "Connection: keep-alive, X-Drop\r\nX-Drop: 1\r\nX-Keep: 2\r\n\r\n",
                        get + HOST + "X-Keep: 2\r\n"),
                forwarded("Connection cannot drop the framing headers", post + HOST + "Connection: Content-Length, Host\r\nContent-Length: 3\r\n\r\nabc",
                        post + HOST + "Content-Length: 3\r\n", "abc"),
                forwarded("hop-by-hop headers are dropped", get + HOST + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: trailers\r\n"
                        + "Trailer: X-Sum\r\nProxy-Authorization: Basic eA==\r\nUpgrade: h2c\r\n\r\n", get + HOST),
                arguments("X-Forwarded-For and Via are appended to", get + "X-Forwarded-For: 192.0.2.1\r\nVia: 1.0 lb\r\n" + HOST + "\r\n", 200,
                        get + HOST + "x-forwarded-for: 192.0.2.1, 127.0.0.1\r\nx-forwarded-proto: http\r\nvia: 1.0 lb, 1.1 maintd\r\n\r\n"),
                arguments("X-Forwarded-Proto from the balancer in front is kept", get + HOST + "X-Forwarded-Proto: https\r\n\r\n", 200,
                        get + HOST + "X-Forwarded-Proto: https\r\nx-forwarded-for: 127.0.0.1\r\nvia: 1.1 maintd\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void requestGetsItsStatusAndTheBackendExactlyItsBytes(String name, String request, int status, String backendReceives)
            throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = ScriptedBackend.answeringEachRequest();
             ProxyFixture proxy = new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend.address()), null,
                     TestConfigs.limits()));
             RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response response = raw.send(request).read();
            assertEquals(status, response.status(), response.text());
            if (backendReceives == null) {
                assertEquals("close", response.header("connection"));
                assertTrue(raw.closedByServer(), "the connection closed after the refusal");
                assertEquals(0, backend.connections.get(), "nothing was forwarded");
            } else {
                assertEquals(backendReceives, backend.receivedSoFar(0));
            }
        }
    }
}
