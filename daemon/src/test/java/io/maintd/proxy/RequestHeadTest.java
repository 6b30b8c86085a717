package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.maintd.testsupport.ScriptedBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request heads RFC 9112 says to refuse are refused and never reach the backend; the heads that
 * pass reach it as the rules saw them (absolute-form turned into origin-form and Host, dot
 * segments resolved). Judged by a raw backend that records every byte it received.
 */
@Timeout(60)
class RequestHeadTest {
    private static final String SECOND = "GET /second HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final String ONLY_BACKEND = "  - then: { backend: app }\n";

    @TempDir
    Path dir;

    private ProxyFixture proxy(TestFlags flags, ScriptedBackend backend, String rules) {
        return new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend.address()), null,
                TestConfigs.limits()), flags.router(rules));
    }

    static Stream<Arguments> refusedHeads() {
        return Stream.of(
                arguments("NUL in the target", "GET /a\u0000b HTTP/1.1\r\nHost: x\r\n\r\n", 400, RequestRejection.TARGET),
                arguments("control character in the target", "GET /a\u0001b HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                        RequestRejection.TARGET),
                arguments("DEL in the target", "GET /a\u007fb HTTP/1.1\r\nHost: x\r\n\r\n", 400, RequestRejection.TARGET),
                arguments("raw byte above 0x7f in the target", "GET /caf\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                        RequestRejection.TARGET),
                arguments("fragment in the target", "GET /health#/../admin HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                        RequestRejection.TARGET),
                arguments("HTTP/1.2", "GET / HTTP/1.2\r\nHost: x\r\n\r\n", 505, RequestRejection.VERSION),
                arguments("HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, RequestRejection.VERSION),
                arguments("HTTP/0.9", "GET / HTTP/0.9\r\nHost: x\r\n\r\n", 505, RequestRejection.VERSION),
                arguments("HTTP/3.0", "GET / HTTP/3.0\r\nHost: x\r\n\r\n", 505, RequestRejection.VERSION),
                arguments("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, RequestRejection.VERSION),
                arguments("version in lower case", "GET / http/1.1\r\nHost: x\r\n\r\n", 400, RequestRejection.MALFORMED),
                arguments("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501,
                        RequestRejection.METHOD),
                arguments("no Host on HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400, RequestRejection.HOST),
                arguments("two equal Host headers", "GET / HTTP/1.1\r\nHost: x\r\nHost: x\r\n\r\n", 400,
                        RequestRejection.HOST),
                arguments("two different Host headers", "GET / HTTP/1.1\r\nHost: www.example.com\r\nHost: admin.example.com"
                        + "\r\n\r\n", 400, RequestRejection.HOST),
                arguments("two Host headers on HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400,
                        RequestRejection.HOST),
                arguments("two Host headers with absolute-form", "GET http://a/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400,
                        RequestRejection.HOST),
                arguments("empty Host", "GET / HTTP/1.1\r\nHost: \r\n\r\n", 400, RequestRejection.HOST),
                arguments("Host with userinfo", "GET / HTTP/1.1\r\nHost: user@x\r\n\r\n", 400, RequestRejection.HOST),
                arguments("Host with a path", "GET / HTTP/1.1\r\nHost: x/admin\r\n\r\n", 400, RequestRejection.HOST),
                arguments("Host listing two names", "GET / HTTP/1.1\r\nHost: a.example,b.example\r\n\r\n", 400,
                        RequestRejection.HOST),
                arguments("Host with a bad port", "GET / HTTP/1.1\r\nHost: x:80a\r\n\r\n", 400, RequestRejection.HOST),
                arguments("absolute-form with userinfo", "GET http://user@www.example.com/ HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                        RequestRejection.TARGET),
                arguments("absolute-form with no host", "GET http:///x HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                        RequestRejection.TARGET),
                arguments("absolute-form of another scheme", "GET ftp://x/ HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                        RequestRejection.TARGET),
                arguments("asterisk-form for GET", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400, RequestRejection.TARGET),
                arguments("authority-form for GET", "GET example.com:443 HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                        RequestRejection.TARGET),
                arguments("path above the root", "GET /../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                        RequestRejection.TARGET),
                arguments("escaped dots above the root", "GET /a/%2e%2e/%2E%2E/x HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                        RequestRejection.TARGET),
                arguments("backslash in the path", "GET /health\\..\\admin HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                        RequestRejection.TARGET),
                arguments("escaped slash in the path", "GET /health%2F..%2Fadmin HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                        RequestRejection.TARGET),
                arguments("escaped backslash in the path", "GET /a%5cb HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                        RequestRejection.TARGET),
                arguments("escaped NUL in the path", "GET /a%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400, RequestRejection.TARGET),
                arguments("malformed escape in the path", "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                        RequestRejection.TARGET));
    }

    /** The refusal closes the connection: the pipelined request after it is neither answered nor forwarded. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedHeads")
    void refusedHeadNeverReachesTheBackend(String name, String request, int status, RequestRejection why)
            throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = ScriptedBackend.answeringEachRequest();
             ProxyFixture proxy = proxy(flags, backend, ONLY_BACKEND);
             RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response response = raw.send(request + SECOND).read();
            assertEquals(status, response.status());
            assertEquals("close", response.header("connection"));
            assertTrue(raw.closedByServer(), "the pipelined request was not read after the refused one");
            assertEquals(0, backend.connections.get(), "nothing was forwarded");
            assertEquals(1, proxy.counters.rejected(why));
        }
    }

    @Test
    void http2PrefaceGetsAPlainWordedAnswer() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = ScriptedBackend.answeringEachRequest();
             ProxyFixture proxy = proxy(flags, backend, ONLY_BACKEND);
             RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response response = raw.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").read();
            assertEquals(505, response.status());
            assertTrue(response.text().contains("HTTP/1.0 and HTTP/1.1 only"), response.text());
        }
    }

    static Stream<Arguments> forwardedHeads() {
        return Stream.of(
                arguments("absolute-form: its authority replaces Host",
                        "GET http://www.example.com/x HTTP/1.1\r\nHost: admin.example.com\r\n\r\n",
                        "GET /x HTTP/1.1", "www.example.com"),
                arguments("absolute-form with port and query",
                        "GET http://www.example.com:8080/x?q=/y HTTP/1.1\r\nHost: other\r\n\r\n",
                        "GET /x?q=/y HTTP/1.1", "www.example.com:8080"),
                arguments("absolute-form without a path", "GET http://www.example.com HTTP/1.1\r\nHost: x\r\n\r\n",
                        "GET / HTTP/1.1", "www.example.com"),
                arguments("absolute-form with only a query", "GET http://www.example.com?q=1 HTTP/1.1\r\nHost: x\r\n\r\n",
                        "GET /?q=1 HTTP/1.1", "www.example.com"),
                arguments("absolute-form, https in capitals", "GET HTTPS://Example.COM/x HTTP/1.1\r\nHost: x\r\n\r\n",
                        "GET /x HTTP/1.1", "Example.COM"),
                arguments("absolute-form with an IPv6 literal", "GET http://[::1]:8080/x HTTP/1.1\r\nHost: x\r\n\r\n",
                        "GET /x HTTP/1.1", "[::1]:8080"),
                arguments("absolute-form on HTTP/1.0 without Host",
                        "GET http://www.example.com/x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                        "GET /x HTTP/1.1", "www.example.com"),
                arguments("HTTP/1.0 without Host gets an empty one", "GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                        "GET /x HTTP/1.1", ""),
                arguments("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", "OPTIONS * HTTP/1.1", "x"),
                arguments("dot segments resolved", "GET /a/b/../c/./d HTTP/1.1\r\nHost: x\r\n\r\n", "GET /a/c/d HTTP/1.1",
                        "x"),
                arguments("dot segment behind a path parameter", "GET /static/..;/admin?q=/../ HTTP/1.1\r\nHost: x\r\n\r\n",
                        "GET /admin?q=/../ HTTP/1.1", "x"),
                arguments("escaped dot segment", "GET /static/%2e%2e/admin HTTP/1.1\r\nHost: x\r\n\r\n",
                        "GET /admin HTTP/1.1", "x"),
                arguments("a path with nothing to resolve goes as it came",
                        "GET /a//b;jsessionid=1/%7e%C3%A9?x=%2F HTTP/1.1\r\nHost: x\r\n\r\n",
                        "GET /a//b;jsessionid=1/%7e%C3%A9?x=%2F HTTP/1.1", "x"));
    }

    /** And the request pipelined after it is answered too, in order. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("forwardedHeads")
    void admittedHeadReachesTheBackendAsTheRulesSawIt(String name, String request, String requestLine, String host)
            throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = ScriptedBackend.answeringEachRequest();
             ProxyFixture proxy = proxy(flags, backend, ONLY_BACKEND);
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send(request + SECOND);
            assertEquals(requestLine, raw.read().text());
            assertEquals("GET /second HTTP/1.1", raw.read().text());

            String received = backend.receivedSoFar(0);
            String head = received.substring(0, received.indexOf("\r\n\r\n") + 2);
            assertEquals(requestLine, head.substring(0, head.indexOf("\r\n")));
            assertEquals(List.of(host), hostHeaders(head));
            assertEquals(1, backend.connections.get());
        }
    }

    /** The values of every Host line of a request head, exactly as sent. */
    private static List<String> hostHeaders(String head) {
        List<String> hosts = new ArrayList<>();
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "host:", 0, 5)) {
                hosts.add(line.substring(5).strip());
            }
        }
        return hosts;
    }

    /**
     * The reproduction: a host rule matched the absolute-form target while the backend was
     * given the client's Host. Now the rule and the backend see the same host.
     */
    @Test
    void hostRuleSeesTheHostTheBackendGets() throws Exception {
        String adminInMaintenance = "  - match: { host: admin.example.com }\n    then: maintenance\n" + ONLY_BACKEND;
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = ScriptedBackend.answeringEachRequest();
             ProxyFixture proxy = proxy(flags, backend, adminInMaintenance);
             RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response admin = raw.send("GET http://admin.example.com/x HTTP/1.1\r\nHost: www.example.com\r\n\r\n")
                    .read();
            assertEquals(503, admin.status());
            RawHttp.Response www = raw.send("GET http://www.example.com/x HTTP/1.1\r\nHost: admin.example.com\r\n\r\n")
                    .read();
            assertEquals(200, www.status());
            String received = backend.receivedSoFar(0);
            assertEquals(List.of("www.example.com"), hostHeaders(received));
            assertEquals(1, backend.connections.get());
        }
    }

    static Stream<Arguments> pathsUnderAnExemption() {
        return Stream.of(
                arguments("/health/..;/admin", 503, null),
                arguments("/health/%2e%2e/admin", 503, null),
                arguments("/health;x/../admin", 503, null),
                arguments("/x/../health", 200, "GET /health HTTP/1.1"),
                arguments("/health/./status", 200, "GET /health/status HTTP/1.1"),
                arguments("/health;jsessionid=1", 200, "GET /health;jsessionid=1 HTTP/1.1"));
    }

    /**
     * In maintenance with {@code unless: { path: /health }}: the exemption covers what the
     * backend resolves into /health and nothing else, and the request after each is answered.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pathsUnderAnExemption")
    void exemptionCannotBeStretchedByHowThePathIsSpelled(String path, int status, String forwarded) throws Exception {
        assertPathRule("  - if: \"maint > 0\"\n    unless: { path: /health }\n    then: maintenance\n", 1, path, status,
                forwarded);
    }

    static Stream<Arguments> pathsUnderABlock() {
        return Stream.of(
                arguments("/x/..;/admin/users", 503, null),
                arguments("/x/%2E%2E/admin/users", 503, null),
                arguments("/%61dmin/users", 503, null),
                arguments("//admin/users", 503, null),
                arguments("/admin;v=1/users", 503, null),
                arguments("/administrator/", 200, "GET /administrator/ HTTP/1.1"),
                arguments("/admin/../public", 200, "GET /public HTTP/1.1"));
    }

    /** With {@code /admin/} sent to maintenance: the block cannot be dodged by how the path is spelled. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pathsUnderABlock")
    void blockCannotBeDodgedByHowThePathIsSpelled(String path, int status, String forwarded) throws Exception {
        assertPathRule("  - match: { path: /admin/ }\n    then: maintenance\n", 0, path, status, forwarded);
    }

    /** Sends {@code path} and then /health on one connection under {@code rule}; both are answered. */
    private void assertPathRule(String rule, long maint, String path, int status, String forwarded) throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = ScriptedBackend.answeringEachRequest();
             ProxyFixture proxy = proxy(flags, backend, rule + ONLY_BACKEND);
             RawHttp raw = new RawHttp(proxy.port())) {
            flags.set("maint", maint);
            raw.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response response = raw.read();
            assertEquals(status, response.status());
            if (forwarded != null) {
                assertEquals(forwarded, response.text());
            }
            assertEquals("GET /health HTTP/1.1", raw.read().text());
            String received = backend.receivedSoFar(0);
            assertEquals(forwarded == null ? 1 : 2, received.split("\r\n\r\n").length, received);
        }
    }
}
