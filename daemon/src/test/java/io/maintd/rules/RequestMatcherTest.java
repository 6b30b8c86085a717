package io.maintd.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.config.ConfigException;
import io.maintd.config.ConfigLoader;
import io.maintd.testsupport.TempFlagFile;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each request matcher, compiled from YAML and run on real Netty requests. */
class RequestMatcherTest {
    @TempDir
    Path dir;
    private io.maintd.flagfile.FlagReader flags;

    @BeforeEach
    void createFlagFile() {
        flags = TempFlagFile.withOperatorFlags(dir).reader();
    }

    /** A rule set where the matcher under test sends a request to maintenance, everything else to app. */
    private RuleSet matching(String matcher) {
        return RuleCompiler.compile(ConfigLoader.parse("backends: { app: { servers: 127.0.0.1:1 } }\nrules:\n"
                + "  - match: " + matcher + "\n    then: maintenance\n  - then: { backend: app }\n", "test.yaml", Map.of(),
                RuleCompiler::check), flags);
    }

    private static boolean matches(RuleSet rules, HttpRequest request) throws Exception {
        return rules.decide(request, InetAddress.getByName("127.0.0.1")).action() == Decision.Action.MAINTENANCE;
    }

    private static HttpRequest request(HttpMethod method, String uri, String... headers) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1]);
        }
        return r;
    }

    private static HttpRequest get(String uri, String... headers) {
        return request(HttpMethod.GET, uri, headers);
    }

    private String compileError(String matcher) {
        return assertThrows(ConfigException.class, () -> matching(matcher)).getMessage();
    }

    @Test
    void pathPrefixComparesTheRawPathLikeNginx() throws Exception {
        RuleSet rules = matching("{ path: /api }");
        assertTrue(matches(rules, get("/api")));
        assertTrue(matches(rules, get("/api/v1?x=1")));
        assertTrue(matches(rules, get("/apiv2")));
        assertFalse(matches(rules, get("/API")));
        assertFalse(matches(rules, get("/a?/api")));
    }

    /**
     * Each path, and whether an exemption for /health and a block of /admin/ apply to it: always
     * as a servlet container resolves the path, so neither can be dodged by spelling.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /health                  | true  | false
            /health/v1.2/status      | true  | false
            /health/./x              | true  | false
            /health/x?next=/../admin | true  | false
            /health/..               | false | false
            /health/../admin/        | false | true
            /health/..;/admin/       | false | true
            /health/..;x=1/admin/x   | false | true
            /health;v=1/../admin/    | false | true
            /health/%2e%2e/admin/    | false | true
            /health/.%2E/admin/      | false | true
            /health/%2e/x            | true  | false
            /x/../health             | true  | false
            //health                 | true  | false
            /%68ealth                | true  | false
            /health;jsessionid=1     | true  | false
            /admin/                  | false | true
            /admin;jsessionid=1/     | false | true
            //admin/                 | false | true
            /x//..//admin/           | false | true
            /%61dmin/                | false | true
            /ADMIN/                  | false | false
            /admin%3B/               | false | false
            /health/../../admin/     | false | false
            /health%2F..%2Fadmin/    | false | false
            /health\\..\\admin/      | false | false
            """)
    void pathIsMatchedAsTheBackendResolvesIt(String target, boolean exempt, boolean blocked) throws Exception {
        assertEquals(exempt, matches(matching("{ path: /health }"), get(target)), "exempted by /health");
        assertEquals(blocked, matches(matching("{ path: /admin/ }"), get(target)), "blocked by /admin/");
    }

    @Test
    void pathPrefixNotInTheMatchedFormIsRefusedWithTheFormToWrite() {
        assertEquals("test.yaml: rules[0].match.path: '/a/../b' is not in the form paths are matched in at line 3,"
                + " column 20; write '/b' (dot segments resolved, // merged, ;parameters removed)",
                compileError("{ path: /a/../b }"));
        assertEquals("test.yaml: rules[0].match.path: '/app;v=1/' is not in the form paths are matched in at line 3,"
                + " column 20; write '/app/' (dot segments resolved, // merged, ;parameters removed)",
                compileError("{ path: \"/app;v=1/\" }"));
        assertEquals("test.yaml: rules[0].match.path: '/a%2Fb' can never match at line 3, column 20; requests with \\,"
                + " %2F, %5C or a bad %-escape in the path are refused with 400", compileError("{ path: /a%2Fb }"));
    }

    @Test
    void hostIsCaseInsensitiveAndIgnoresThePort() throws Exception {
        RuleSet rules = matching("{ host: Shop.Example.com }");
        assertTrue(matches(rules, get("/", "Host", "shop.example.com")));
        assertTrue(matches(rules, get("/", "Host", "SHOP.EXAMPLE.COM:8443")));
        assertTrue(matches(rules, get("/", "Host", "shop.example.com.")));
        assertFalse(matches(rules, get("/", "Host", "shop.example.com.evil")));
        assertFalse(matches(rules, get("/", "Host", "xshop.example.com")));
        assertFalse(matches(rules, get("/")));
    }

    @Test
    void hostIpv6LiteralMatchesWithOrWithoutPort() throws Exception {
        RuleSet rules = matching("{ host: \"::1\" }");
        assertTrue(matches(rules, get("/", "Host", "[::1]")));
        assertTrue(matches(rules, get("/", "Host", "[::1]:8080")));
        assertFalse(matches(rules, get("/", "Host", "[::2]:8080")));
    }

    @Test
    void wildcardHostMatchesSubdomainsOnly() throws Exception {
        RuleSet rules = matching("{ host: \"*.example.com\" }");
        assertTrue(matches(rules, get("/", "Host", "a.example.com")));
        assertTrue(matches(rules, get("/", "Host", "a.b.EXAMPLE.com:80")));
        assertFalse(matches(rules, get("/", "Host", "example.com")));
        assertFalse(matches(rules, get("/", "Host", "badexample.com")));
    }

    @Test
    void hostThatLooksHexadecimalWithPortIsNotTakenForIpv6() {
        assertEquals("test.yaml: rules[0].match.host: 'cafe.be:80' is not a host name at line 3, column 20;"
                + " host matches ignore the port; write the name alone", compileError("{ host: \"cafe.be:80\" }"));
    }

    @Test
    void hostWithPortIsRefusedAtCompileTime() {
        assertEquals("test.yaml: rules[0].match.host: 'example.com:80' is not a host name at line 3, column 20;"
                + " host matches ignore the port; write the name alone", compileError("{ host: \"example.com:80\" }"));
    }

    @Test
    void methodMatchesExactlyAndCaseSensitively() throws Exception {
        RuleSet rules = matching("{ method: [PUT, PURGE] }");
        assertTrue(matches(rules, request(HttpMethod.PUT, "/")));
        assertTrue(matches(rules, request(HttpMethod.valueOf("PURGE"), "/")));
        assertFalse(matches(rules, request(HttpMethod.valueOf("put"), "/")));
        assertFalse(matches(rules, get("/")));
    }

    @Test
    void headerEqualsComparesTheValueExactlyAndTheNameInAnyCase() throws Exception {
        RuleSet rules = matching("{ header: X-Canary, equals: [\"yes\", \"1\"] }");
        assertTrue(matches(rules, get("/", "x-canary", "yes")));
        assertTrue(matches(rules, get("/", "X-CANARY", "1")));
        assertFalse(matches(rules, get("/", "X-Canary", "YES")));
        assertFalse(matches(rules, get("/", "X-Canary", "yes ")));
        assertFalse(matches(rules, get("/", "X-Canary", "")));
        assertFalse(matches(rules, get("/", "X-Other", "yes")));
        assertFalse(matches(rules, get("/")));
    }

    @Test
    void headerEqualsReadsTheFirstValueOnly() throws Exception {
        RuleSet rules = matching("{ header: X-Canary, equals: yes }");
        assertTrue(matches(rules, get("/", "X-Canary", "yes", "X-Canary", "no")));
        assertFalse(matches(rules, get("/", "X-Canary", "no", "X-Canary", "yes")));
    }

    @Test
    void sourceMatchesTheClientAddress() throws Exception {
        RuleSet rules = matching("{ source: [127.0.0.0/8, \"::1\"] }");
        assertTrue(rules.decide(get("/"), InetAddress.getByName("127.9.9.9")).action() == Decision.Action.MAINTENANCE);
        assertTrue(rules.decide(get("/"), InetAddress.getByName("::1")).action() == Decision.Action.MAINTENANCE);
        assertTrue(rules.decide(get("/"), InetAddress.getByName("::2")).action() == Decision.Action.BACKEND);
        assertTrue(rules.decide(get("/"), InetAddress.getByName("128.0.0.1")).action() == Decision.Action.BACKEND);
    }

    @Test
    void differentMatchersMustAllHold() throws Exception {
        RuleSet rules = matching("{ path: /a, host: x.org, header: X-T, equals: t }");
        assertTrue(matches(rules, get("/a", "Host", "x.org", "X-T", "t")));
        assertFalse(matches(rules, get("/a", "Host", "x.org")));
        assertFalse(matches(rules, get("/b", "Host", "x.org", "X-T", "t")));
    }

    @Test
    void invalidMatcherValuesAreRefusedWithTheirKey() {
        assertEquals("test.yaml: rules[0].match.path: 'api' is not a path prefix at line 3, column 20;"
                + " a prefix starts with '/' and has no query", compileError("{ path: api }"));
        assertEquals("test.yaml: rules[0].match.method: 'GET POST' is not an HTTP method at line 3, column 22",
                compileError("{ method: GET POST }"));
        assertEquals("test.yaml: rules[0].match.header: 'X Bad' is not a header name at line 3, column 22",
                compileError("{ header: X Bad, equals: t }"));
    }
}
