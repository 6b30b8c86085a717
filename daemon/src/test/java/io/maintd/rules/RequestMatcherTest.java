package io.maintd.rules;

import static io.maintd.proxy.http.ParsedHeads.get;
import static io.maintd.proxy.http.ParsedHeads.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.config.ConfigException;
import io.maintd.config.ConfigLoader;
import io.maintd.proxy.http.RequestHead;
import io.maintd.testsupport.TempFlagFile;
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

    private static boolean matches(RuleSet rules, RequestHead request) throws Exception {
        return rules.decide(request, InetAddress.getByName("127.0.0.1")).action() == Decision.Action.MAINTENANCE;
    }


    private String compileError(String matcher) {
        return assertThrows(ConfigException.class, () -> matching(matcher)).getMessage();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /api        | true
            /api/v1?x=1 | true
            /apiv2      | true
            /API        | false
            /a?/api     | false
            """)
    void pathPrefixComparesTheRawPathLikeNginx(String target, boolean matched) throws Exception {
        assertEquals(matched, matches(matching("{ path: /api }"), get(target)));
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

    /** Case ignored, the port ignored, a trailing dot ignored; nothing else around the name. No Host: no match. */
    @ParameterizedTest(name = "{0} for Host {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            { host: Shop.Example.com }  | shop.example.com      | true
            { host: Shop.Example.com }  | SHOP.EXAMPLE.COM:8443 | true
            { host: Shop.Example.com }  | shop.example.com.     | true
            { host: Shop.Example.com }  | shop.example.com.evil | false
            { host: Shop.Example.com }  | xshop.example.com     | false
            { host: Shop.Example.com }  |                       | false
            # An IPv6 literal matches with or without a port.
            { host: "::1" }             | [::1]                 | true
            { host: "::1" }             | [::1]:8080            | true
            { host: "::1" }             | [::2]:8080            | false
            # A wildcard matches subdomains only.
            { host: "*.example.com" }   | a.example.com         | true
            { host: "*.example.com" }   | a.b.EXAMPLE.com:80    | true
            { host: "*.example.com" }   | example.com           | false
            { host: "*.example.com" }   | badexample.com        | false
            """)
    void hostMatchesTheHostHeaderWithoutItsPort(String matcher, String host, boolean matched) throws Exception {
        assertEquals(matched, matches(matching(matcher), host == null ? get("/") : get("/", "Host", host)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"PUT, true", "PURGE, true", "put, false", "GET, false"})
    void methodMatchesExactlyAndCaseSensitively(String method, boolean matched) throws Exception {
        assertEquals(matched, matches(matching("{ method: [PUT, PURGE] }"), request(method, "/")));
    }

    /** The value exactly, the name in any case. No such header: no match. */
    @ParameterizedTest(name = "{0}: \"{1}\": {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            x-canary | yes    | true
            X-CANARY | 1      | true
            X-Canary | YES    | false
            X-Canary | `ye s` | false
            X-Canary | ``     | false
            X-Other  | yes    | false
                     |        | false
            """)
    void headerEqualsComparesTheValueExactlyAndTheNameInAnyCase(String name, String value, boolean matched)
            throws Exception {
        RuleSet rules = matching("{ header: X-Canary, equals: [\"yes\", \"1\"] }");
        assertEquals(matched, matches(rules, name == null ? get("/") : get("/", name, value)));
    }

    @Test
    void headerEqualsReadsTheFirstValueOnly() throws Exception {
        RuleSet rules = matching("{ header: X-Canary, equals: yes }");
        assertTrue(matches(rules, get("/", "X-Canary", "yes", "X-Canary", "no")));
        assertFalse(matches(rules, get("/", "X-Canary", "no", "X-Canary", "yes")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"127.9.9.9, MAINTENANCE", "::1, MAINTENANCE", "::2, BACKEND", "128.0.0.1, BACKEND"})
    void sourceMatchesTheClientAddress(String client, Decision.Action action) throws Exception {
        RuleSet rules = matching("{ source: [127.0.0.0/8, \"::1\"] }");
        assertEquals(action, rules.decide(get("/"), InetAddress.getByName(client)).action());
    }

    @Test
    void differentMatchersMustAllHold() throws Exception {
        RuleSet rules = matching("{ path: /a, host: x.org, header: X-T, equals: t }");
        assertTrue(matches(rules, get("/a", "Host", "x.org", "X-T", "t")));
        assertFalse(matches(rules, get("/a", "Host", "x.org")));
        assertFalse(matches(rules, get("/b", "Host", "x.org", "X-T", "t")));
    }

    /** Refused when the rules compile, naming the key, the position and what to write instead. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # A path prefix not in the form paths are matched in, with the form to write.
            { path: /a/../b }              | test.yaml: rules[0].match.path: '/a/../b' is not in the form paths are matched in at line 3, column 20; write '/b' (dot segments resolved, // merged, ;parameters removed)
            { path: "/app;v=1/" }          | test.yaml: rules[0].match.path: '/app;v=1/' is not in the form paths are matched in at line 3, column 20; write '/app/' (dot segments resolved, // merged, ;parameters removed)
            { path: /a%2Fb }               | test.yaml: rules[0].match.path: '/a%2Fb' can never match at line 3, column 20; requests with \\, %2F, %5C or a bad %-escape in the path are refused with 400
            { path: api }                  | test.yaml: rules[0].match.path: 'api' is not a path prefix at line 3, column 20; a prefix starts with '/' and has no query
            # A host with a port, even one that looks hexadecimal, is not taken for IPv6.
            { host: "cafe.be:80" }         | test.yaml: rules[0].match.host: 'cafe.be:80' is not a host name at line 3, column 20; host matches ignore the port; write the name alone
            { host: "example.com:80" }     | test.yaml: rules[0].match.host: 'example.com:80' is not a host name at line 3, column 20; host matches ignore the port; write the name alone
            { method: GET POST }           | test.yaml: rules[0].match.method: 'GET POST' is not an HTTP method at line 3, column 22
            { header: X Bad, equals: t }   | test.yaml: rules[0].match.header: 'X Bad' is not a header name at line 3, column 22
            """)
    void invalidMatcherValuesAreRefusedWithTheirKey(String matcher, String message) {
        assertEquals(message, compileError(matcher));
    }
}
