package io.maintd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.config.MaintdConfig.Action;
import io.maintd.config.MaintdConfig.Matcher;
import io.maintd.config.MaintdConfig.RuleConfig;
import io.maintd.rules.RuleCompiler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String MINIMAL = "backends: { app: { servers: [127.0.0.1:9001] } }\n";

    private static MaintdConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "test.yaml", Map.of(), RuleCompiler::check);
    }

    private static String failure(String yaml) {
        return failure(yaml, Map.of());
    }

    private static String failure(String yaml, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "test.yaml", env, RuleCompiler::check))
                .getMessage();
    }

    private static void assertContains(String message, String expected) {
        assertTrue(message.contains(expected), () -> "expected <" + expected + "> in:\n" + message);
    }

    @Test
    void everyKeyIsRead() {
        MaintdConfig c = parse("""
                flags: { file: /run/maintd/flags }
                listen: 127.0.0.1:18080
                admin: "[::1]:19090"
                agent: 127.0.0.1:5555
                backends:
                  app: { servers: [127.0.0.1:9001, "[::1]:9002"] }
                  api: { servers: 127.0.0.2:9003 }
                maintenance:
                  page: /etc/maintd/maintenance.html
                  status: 502
                  retry-after: 2m
                limits:
                  request-line: 4k
                  header-size: 32KiB
                  chunk-size: 16384
                  connect-timeout: 500ms
                  response-timeout: 90s
                  client-idle-timeout: 2m
                  upstream-idle-timeout: 4s
                  retry-backoff: 1h
                  upstream-max-idle: 16
                  header-timeout: 3s
                  body-timeout: 7s
                  body-min-rate: 2k
                  max-connections: 5000
                drain:
                  lead-time: 5s
                  timeout: 45s
                transport: epoll
                rules:
                  - if: "maint > 0"
                    match: { path: [/app, /static/], host: Example.com, method: [GET, HEAD] }
                    unless: { header: X-Bypass, equals: [tok1, tok2], source: 10.0.0.0/8 }
                    then: maintenance
                  - then: { shed: shed }
                    if: shed > 0
                  - then: { backend: app }
                """);
        assertEquals(Path.of("/run/maintd/flags"), c.flagsFile());
        assertEquals(new InetSocketAddress("127.0.0.1", 18080), c.listen());
        assertEquals(new InetSocketAddress("::1", 19090), c.admin());
        assertEquals(new InetSocketAddress("127.0.0.1", 5555), c.agent());
        assertEquals(List.of("app", "api"), List.copyOf(c.backends().keySet()));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 9001), new InetSocketAddress("::1", 9002)),
                c.backends().get("app").servers());
        assertEquals(List.of(new InetSocketAddress("127.0.0.2", 9003)), c.backends().get("api").servers());
        assertEquals(new MaintdConfig.MaintenanceConfig(Path.of("/etc/maintd/maintenance.html"), 502, Duration.ofMinutes(2)),
                c.maintenance());
        assertEquals(new MaintdConfig.Limits(4096, 32768, 16384, Duration.ofMillis(500), Duration.ofSeconds(90),
                Duration.ofMinutes(2), Duration.ofSeconds(4), Duration.ofHours(1), 16, Duration.ofSeconds(3),
                Duration.ofSeconds(7), 2048, 5000), c.limits());
        assertEquals(new MaintdConfig.DrainConfig(Duration.ofSeconds(5), Duration.ofSeconds(45)), c.drain());
        assertEquals(TransportChoice.EPOLL, c.transport());
        assertEquals(new RuleConfig("rules[0]", "maint > 0",
                List.of(new Matcher(Matcher.Kind.PATH_PREFIX, null, "/app"),
                        new Matcher(Matcher.Kind.PATH_PREFIX, null, "/static/"),
                        new Matcher(Matcher.Kind.HOST, null, "Example.com"),
                        new Matcher(Matcher.Kind.METHOD, null, "GET"),
                        new Matcher(Matcher.Kind.METHOD, null, "HEAD")),
                List.of(new Matcher(Matcher.Kind.HEADER_EQUALS, "X-Bypass", "tok1"),
                        new Matcher(Matcher.Kind.HEADER_EQUALS, "X-Bypass", "tok2"),
                        new Matcher(Matcher.Kind.SOURCE_CIDR, null, "10.0.0.0/8")),
                new Action(Action.Kind.MAINTENANCE, null)), c.rules().get(0));
        assertEquals(new RuleConfig("rules[1]", "shed > 0", List.of(), List.of(), new Action(Action.Kind.SHED, "shed")),
                c.rules().get(1));
        assertEquals(new RuleConfig("rules[2]", null, List.of(), List.of(), new Action(Action.Kind.BACKEND, "app")),
                c.rules().get(2));
    }

    @Test
    void leftOutKeysTakeTheDocumentedDefaults() {
        MaintdConfig c = parse(MINIMAL);
        assertEquals(Path.of("/var/lib/maintd/flags"), c.flagsFile());
        assertEquals(new InetSocketAddress(8080), c.listen());
        assertEquals(new InetSocketAddress("127.0.0.1", 9090), c.admin());
        assertNull(c.agent());
        assertEquals(new MaintdConfig.MaintenanceConfig(null, 503, Duration.ofSeconds(120)), c.maintenance());
        assertEquals(new MaintdConfig.Limits(8192, 16384, 8192, Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(1), 1024, Duration.ofSeconds(10),
                Duration.ofSeconds(20), 500, 0), c.limits());
        assertEquals(new MaintdConfig.DrainConfig(Duration.ZERO, Duration.ofSeconds(30)), c.drain());
        assertEquals(new MaintdConfig.CheckConfig(Duration.ofSeconds(2), 2, 3, null, 0), c.backends().get("app").check(),
                "HAProxy's check defaults: a TCP connect, inter 2s, rise 2, fall 3");
        assertEquals(TransportChoice.AUTO, c.transport());
    }

    @Test
    void anUnknownTransportIsRefusedNamingTheChoices() {
        assertContains(failure(MINIMAL + "transport: kqueue\n"),
                "transport: 'kqueue' is not a transport (auto, io_uring, epoll or nio)");
    }

    @Test
    void withoutRulesTheStandardFlagsRouteToTheOnlyBackend() {
        List<RuleConfig> rules = parse(MINIMAL).rules();
        assertEquals(List.of("maint > 0", "shed > 0"), rules.subList(0, 2).stream().map(RuleConfig::condition).toList());
        assertEquals(List.of(new Action(Action.Kind.MAINTENANCE, null), new Action(Action.Kind.SHED, "shed"),
                new Action(Action.Kind.BACKEND, "app")), rules.stream().map(RuleConfig::then).toList());
    }

    @Test
    void withoutRulesSeveralBackendsAreAnError() {
        String m = failure("backends: { a: { servers: 127.0.0.1:1 }, b: { servers: 127.0.0.1:2 } }\n");
        assertContains(m, "test.yaml: rules: has no rules; with several backends the rules must say which one gets a request");
    }

    @Test
    void emptyAgentMeansDisabledAndEmptyPageMeansBuiltIn() {
        MaintdConfig c = parse(MINIMAL + "agent:\nmaintenance: { page: ~ }\n");
        assertNull(c.agent());
        assertNull(c.maintenance().page());
    }

    @Test
    void environmentReferencesAreExpandedAtLoad() {
        MaintdConfig c = ConfigLoader.parse("listen: ${HOST}:${PORT:-8081}\n" + MINIMAL, "test.yaml",
                Map.of("HOST", "127.0.0.3"), RuleCompiler::check);
        assertEquals(new InetSocketAddress("127.0.0.3", 8081), c.listen());
    }

    @Test
    void missingEnvironmentVariableNamesTheVariableAndTheKey() {
        String m = failure(MINIMAL + """
                rules:
                  - if: "maint > 0"
                    unless: { header: X-Maintd-Bypass, equals: "${MAINTD_BYPASS_TOKEN}" }
                    then: maintenance
                  - then: { backend: app }
                """);
        assertContains(m, "test.yaml: rules[0].unless.equals: environment variable MAINTD_BYPASS_TOKEN is not set");
        assertContains(m, "at line 4, column 48");
    }

    @Test
    void bypassTokenSetToEmptyLoads() {
        // What an unset ${MAINTD_BYPASS_TOKEN:-} gives; ExampleConfigTest shows the exemption is then off.
        ConfigLoader.parse(MINIMAL + """
                rules:
                  - if: "maint > 0"
                    unless: { header: X-Maintd-Bypass, equals: "${TOKEN}" }
                    then: maintenance
                  - then: { backend: app }
                """, "test.yaml", Map.of("TOKEN", ""), RuleCompiler::check);
    }

    @Test
    void unknownKeyIsNamedWithItsPositionAndTheClosestKnownKey() {
        String m = failure("""
                backends:
                  app: { servers: [127.0.0.1:9001] }
                listne: 0.0.0.0:8080
                """);
        assertEquals("test.yaml: listne: unknown key 'listne' at line 3, column 1; did you mean 'listen'?", m);
    }

    @Test
    void unknownNestedKeyIsNamedWithItsPath() {
        String m = failure(MINIMAL + "limits:\n  conect-timeout: 1s\n");
        assertEquals("test.yaml: limits.conect-timeout: unknown key 'conect-timeout' at line 3, column 3;"
                + " did you mean 'connect-timeout'?", m);
    }

    @Test
    void duplicateKeyIsRefusedNamingTheFirst() {
        String m = failure(MINIMAL + "listen: 127.0.0.1:1\nlisten: 127.0.0.1:2\n");
        assertEquals("test.yaml: listen: duplicate key 'listen' at line 3, column 1; first defined at line 2, column 1", m);
    }

    @Test
    void durationsTakeDaysAndSumsAsTheCommandLineDoes() {
        MaintdConfig c = parse(MINIMAL + "drain: { lead-time: 1m30s, timeout: 1d }\n");
        assertEquals(new MaintdConfig.DrainConfig(Duration.ofSeconds(90), Duration.ofDays(1)), c.drain());
    }

    @Test
    void durationWithoutUnitIsRefused() {
        String m = failure(MINIMAL + "drain: { timeout: 30 }\n");
        assertEquals("test.yaml: drain.timeout: '30' needs a unit (ms, s, m, h or d), e.g. 30s at line 2, column 19", m);
    }

    @Test
    void zeroTimeoutIsRefused() {
        assertContains(failure(MINIMAL + "limits: { response-timeout: 0s }\n"), "limits.response-timeout: must be more than 0");
    }

    @Test
    void negativeUpstreamMaxIdleIsRefused() {
        assertContains(failure(MINIMAL + "limits: { upstream-max-idle: -1 }\n"),
                "limits.upstream-max-idle: '-1' is negative (0 or more)");
    }

    @Test
    void malformedConnectionAndDeadlineLimitsAreRefusedNamingTheKey() {
        String m = failure(MINIMAL + "limits: { max-connections: 0, header-timeout: 0s, body-timeout: 10, body-min-rate: -5 }\n");
        assertContains(m, "limits.max-connections: '0' must be 1 or more");
        assertContains(m, "limits.header-timeout: must be more than 0");
        assertContains(m, "limits.body-timeout: '10' needs a unit");
        assertContains(m, "limits.body-min-rate: '-5' is not a size");
    }

    @Test
    void aBodyMinRateOfZeroTurnsTheRateRuleOff() {
        assertEquals(0, parse(MINIMAL + "limits: { body-min-rate: 0 }\n").limits().bodyMinRate());
    }

    @Test
    void adminTakesALongFormWithAllowedHosts() {
        MaintdConfig c = parse(MINIMAL + "admin: { listen: 127.0.0.1:9191, allowed-hosts: [LB.internal., \"*.ops.example.com\", \"::1\"] }\n");
        assertEquals(new InetSocketAddress("127.0.0.1", 9191), c.admin());
        assertEquals(List.of("lb.internal", ".ops.example.com", "[::1]"), c.adminAllowedHosts());
        assertEquals(List.of(), parse(MINIMAL).adminAllowedHosts());
    }

    @Test
    void allowedHostsAreHostNamesWithoutPorts() {
        String m = failure(MINIMAL + "admin: { allowed-hosts: [lb.internal:9090, \"bad name\"], lisen: 127.0.0.1:1 }\n");
        assertContains(m, "admin.allowed-hosts[0]: 'lb.internal:9090' is not a host name");
        assertContains(m, "host matches ignore the port; write the name alone");
        assertContains(m, "admin.allowed-hosts[1]: 'bad name' is not a host name");
        assertContains(m, "admin.lisen: unknown key 'lisen'");
    }

    @Test
    void adminTokenTurnsThePageActionsOnAndAnEmptyOneLeavesThemOff() {
        assertEquals("0123456789abcdef+/_-.~==", parse(MINIMAL + "admin: { token: \"0123456789abcdef+/_-.~==\" }\n").adminToken());
        assertNull(parse(MINIMAL).adminToken());
        assertNull(parse(MINIMAL + "admin: { token: \"${MAINTD_ADMIN_TOKEN:-}\" }\n").adminToken());
    }

    @Test
    void aShortOrUnsendableAdminTokenIsRefusedWithoutRepeatingIt() {
        String shortOne = failure(MINIMAL + "admin: { token: hunter2 }\n");
        assertContains(shortOne, "admin.token: is 7 characters; an admin token needs at least 16");
        assertFalse(shortOne.contains("hunter2"), shortOne);
        String spaced = failure(MINIMAL + "admin: { token: \"correct horse battery staple\" }\n");
        assertContains(spaced, "admin.token: has a character that cannot travel in a bearer token at position 8");
        assertFalse(spaced.contains("horse"), spaced);
        assertContains(failure(MINIMAL + "admin: { token: \"================\" }\n"), "admin.token: is only '=' padding");
    }

    @Test
    void maintenanceAnnouncementAndWellKnownAreOptIn() {
        MaintdConfig.MaintenanceConfig off = parse(MINIMAL).maintenance();
        assertEquals(Duration.ZERO, off.announce());
        assertEquals("Maintd-Maintenance", off.announceHeader());
        assertFalse(off.wellKnown());
        MaintdConfig.MaintenanceConfig on = parse(MINIMAL
                + "maintenance: { announce: 24h, announce-header: X-Maintenance-Window, well-known: true }\n").maintenance();
        assertEquals(Duration.ofHours(24), on.announce());
        assertEquals("X-Maintenance-Window", on.announceHeader());
        assertTrue(on.wellKnown());
        String bad = failure(MINIMAL + "maintenance: { announce: soon, announce-header: \"Bad Header\", well-known: yes }\n");
        assertContains(bad, "maintenance.announce: 'soon' is not a duration");
        assertContains(bad, "maintenance.announce-header: 'Bad Header' is not an HTTP header name");
        assertContains(bad, "maintenance.well-known: 'yes' is not true or false");
    }

    @Test
    void retryAfterMustBeWholeSeconds() {
        assertContains(failure(MINIMAL + "maintenance: { retry-after: 1500ms }\n"),
                "maintenance.retry-after: '1500ms': Retry-After is sent in whole seconds");
    }

    @Test
    void maintenanceStatusMustBeAnHttpStatus() {
        assertContains(failure(MINIMAL + "maintenance: { status: 700 }\n"),
                "maintenance.status: status 700 is not an HTTP status from 200 to 599 at line 2, column 24");
    }

    @Test
    void ipv6AddressWithoutBracketsIsRefusedWithTheFix() {
        assertContains(failure(MINIMAL + "listen: \"::1:8080\"\n"),
                "listen: '::1:8080': write IPv6 addresses in brackets, e.g. [::1]:8080 at line 2, column 9");
    }

    @Test
    void backendServerNeedsANonZeroPort() {
        assertContains(failure("backends: { app: { servers: [127.0.0.1:0] } }\n"),
                "backends.app.servers[0]: '127.0.0.1:0' has an invalid port '0' (1-65535)");
    }

    @Test
    void backendCheckSettingsAreRead() {
        MaintdConfig c = parse("""
                backends:
                  app: { servers: [127.0.0.1:9001], check: { path: "/healthz?full=1", expect-status: 204, interval: 500ms, rise: 1, fall: 5 } }
                  api: { servers: [127.0.0.1:9002], check: { fall: 2 } }
                  web: { servers: [127.0.0.1:9003], check: off }
                rules:
                  - then: { backend: app }
                """);
        assertEquals(new MaintdConfig.CheckConfig(Duration.ofMillis(500), 1, 5, "/healthz?full=1", 204),
                c.backends().get("app").check());
        assertEquals(new MaintdConfig.CheckConfig(Duration.ofSeconds(2), 2, 2, null, 0), c.backends().get("api").check());
        assertNull(c.backends().get("web").check());
    }

    @Test
    void badCheckSettingsAreEachNamed() {
        String message = failure("""
                backends:
                  app:
                    servers: [127.0.0.1:9001]
                    check: { interval: 1ms, rise: 0, fall: 101, path: healthz, expect-status: 99, timeout: 1s }
                  api:
                    servers: [127.0.0.1:9002]
                    check: { interval: 0, expect-status: 200 }
                  web:
                    servers: [127.0.0.1:9003]
                    check: no
                rules:
                  - then: { backend: app }
                """);
        assertContains(message, "backends.app.check.interval: '1ms' is outside 10ms to 24h");
        assertContains(message, "backends.app.check.rise: '0' is outside 1 to 100");
        assertContains(message, "backends.app.check.fall: '101' is outside 1 to 100");
        assertContains(message, "backends.app.check.path: 'healthz' is not a request path");
        assertContains(message, "backends.app.check.expect-status: status 99 is not an HTTP status");
        assertContains(message, "backends.app.check.timeout: unknown key 'timeout'");
        assertContains(message, "backends.api.check.interval: must be more than 0");
        assertContains(message, "backends.api.check.expect-status: 'expect-status' needs 'path': a TCP check has no status");
        assertContains(message, "backends.web.check: 'no' is not a check setting");
    }

    /** The path goes into the check's request line: nothing in it may end that line or start a header. */
    @Test
    void checkPathThatCouldSmuggleARequestIsRefused() {
        for (String path : new String[] {"\"/a b\"", "\"/a\\r\\nX-Evil: 1\"", "\"/a\\u0000\"", "\"/\u00e9\"",
                "\"/" + "a".repeat(1100) + "\""}) {
            String message = failure("backends: { app: { servers: [127.0.0.1:9001], check: { path: " + path + " } } }\n");
            assertTrue(message.contains("backends.app.check.path: "), () -> path + " was accepted:\n" + message);
        }
    }

    @Test
    void adminOnTheListenPortIsRefused() {
        assertContains(failure(MINIMAL + "listen: 0.0.0.0:8080\nadmin: 127.0.0.1:8080\n"),
                "admin: port 8080 is also used by 'listen' at line 3, column 8");
    }

    @Test
    void mappingWhereAValueBelongsIsRefused() {
        assertContains(failure(MINIMAL + "listen: { host: a }\n"),
                "listen: expected a single value, found a mapping at line 2, column 9");
    }

    @Test
    void valueWhereAMappingBelongsIsRefused() {
        assertContains(failure("backends: app\n"),
                "backends: expected a mapping (key: value), found a value at line 1, column 11");
    }

    @Test
    void missingBackendsIsAnError() {
        assertContains(failure("listen: 127.0.0.1:8080\n"), "test.yaml: missing key 'backends' at line 1, column 1");
    }

    @Test
    void conditionSyntaxErrorNamesTheKeyAndTheColumn() {
        String m = failure(MINIMAL + """
                rules:
                  - if: "maint > 0)"
                    then: maintenance
                  - then: { backend: app }
                """);
        assertEquals("test.yaml: rules[0].if: unexpected ')' at column 10 in \"maint > 0)\" at line 3, column 9", m);
    }

    @Test
    void unknownBackendIsNamedWithTheClosestOne() {
        String m = failure(MINIMAL + "rules:\n  - then: { backend: ap }\n");
        assertEquals("test.yaml: rules[0].then.backend: unknown backend 'ap' at line 3, column 22; did you mean 'app'?", m);
    }

    @Test
    void misspelledActionGetsASuggestion() {
        assertContains(failure(MINIMAL + "rules:\n  - then: maintainance\n"),
                "rules[0].then: unknown action 'maintainance' at line 3, column 11; did you mean 'maintenance'?");
    }

    @Test
    void ruleWithoutThenIsAnError() {
        assertContains(failure(MINIMAL + "rules:\n  - if: maint > 0\n  - then: { backend: app }\n"),
                "rules[0]: has no action at line 3, column 5");
    }

    @Test
    void lastRuleMustCatchEveryRequest() {
        assertContains(failure(MINIMAL + "rules:\n  - if: maint > 0\n    then: { backend: app }\n"),
                "rules: the last rule must take every request that no rule before it took at line 3, column 3");
    }

    @Test
    void ruleAfterTheCatchAllIsRefusedAsUnreachable() {
        assertContains(failure(MINIMAL + "rules:\n  - then: { backend: app }\n  - then: maintenance\n"),
                "rules[1]: is never reached: rules[0] before it already takes every request at line 4, column 5");
    }

    @Test
    void badCidrIsNamedUnderItsMatcher() {
        assertContains(failure(MINIMAL + """
                rules:
                  - if: maint > 0
                    unless: { source: [10.0.0.0/8, 10.1.2.3/16] }
                    then: maintenance
                  - then: { backend: app }
                """), "rules[0].unless.source: '10.1.2.3/16' has bits set after the /16 prefix; did you mean 10.1.0.0/16?");
    }

    @Test
    void headerWithoutEqualsIsAnError() {
        assertContains(failure(MINIMAL + "rules:\n  - unless: { header: X-A }\n    then: maintenance\n"),
                "rules[0].unless.header: 'header' needs 'equals' with the value to compare at line 3, column 23");
    }

    @Test
    void invalidYamlIsReportedWithItsPosition() {
        assertContains(failure("backends: [a\n"), "test.yaml: invalid YAML: while parsing a flow sequence");
        assertContains(failure("backends: [a\n"), "at line 2, column 1");
    }

    @Test
    void emptyFileIsAnError() {
        assertEquals("test.yaml: is empty; see conf/maintd.yaml for an example", failure("# nothing\n"));
    }

    @Test
    void everyProblemIsReportedAtOnceInFileOrder() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                listen: nowhere
                backends: { app: { servers: [127.0.0.1:9001] } }
                drain: { timeout: soon }
                """, "test.yaml", Map.of(), RuleCompiler::check));
        assertEquals(List.of("listen", "drain.timeout"), e.problems().stream().map(ConfigProblem::key).toList());
        assertEquals(List.of(1, 3), e.problems().stream().map(ConfigProblem::line).toList());
    }

    @Test
    void relativePathsAreTakenFromTheConfigFilesDirectory(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("maintd.yaml");
        Files.writeString(file, MINIMAL + "flags: { file: var/flags }\nmaintenance: { page: ../pages/down.html }\n");
        MaintdConfig c = ConfigLoader.load(file, Map.of(), RuleCompiler::check);
        assertEquals(file, c.source());
        assertEquals(dir.resolve("var/flags"), c.flagsFile());
        assertEquals(dir.getParent().resolve("pages/down.html"), c.maintenance().page());
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of(), RuleCompiler::check));
        assertEquals(file + ": no such file", e.getMessage());
    }
}
