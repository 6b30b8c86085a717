package io.maintd.rules;

import static io.maintd.proxy.http.ParsedHeads.get;
import static io.maintd.proxy.http.ParsedHeads.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.config.ConfigException;
import io.maintd.config.ConfigLoader;
import io.maintd.config.MaintdConfig;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagReader;
import io.maintd.proxy.http.RequestHead;
import io.maintd.testsupport.TempFlagFile;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Routing decisions over a real flag file and real Netty requests. */
@Timeout(60)
class RuleSetTest {
    private static final String BACKENDS = """
            backends:
              app: { servers: [127.0.0.1:9001] }
              api: { servers: [127.0.0.1:9002] }
            """;
    private static final Decision APP = new Decision(Decision.Action.BACKEND, "app", false);
    private static final Decision API = new Decision(Decision.Action.BACKEND, "api", false);
    private static final Decision MAINTENANCE = new Decision(Decision.Action.MAINTENANCE, null, false);
    private static final Decision SHED = new Decision(Decision.Action.SHED, null, false);

    @TempDir
    Path dir;
    private TempFlagFile flags;
    private FlagReader reader;
    private InetAddress client;

    @BeforeEach
    void createFlagFile() throws UnknownHostException {
        flags = TempFlagFile.withOperatorFlags(dir);
        // The request path reads through its own mapping, as the daemon does beside flagctl.
        reader = FlagFile.openReadOnly(dir.resolve("flags")).reader();
        client = InetAddress.getByName("192.0.2.10");
    }

    private RuleSet compile(String rules) {
        return compile(rules, Map.of());
    }

    private RuleSet compile(String rules, Map<String, String> env) {
        MaintdConfig config = ConfigLoader.parse(BACKENDS + "rules:\n" + rules, "test.yaml", env, RuleCompiler::check);
        return RuleCompiler.compile(config, reader);
    }

    private void set(String flag, long value) {
        flags.set(flag, value);
    }


    private static final String EXAMPLE = """
              - if: "maint > 0"
                unless: { header: X-Maintd-Bypass, equals: "${MAINTD_BYPASS_TOKEN}" }
                then: maintenance
              - if: "shed > 0"
                then: { shed: shed }
              - then: { backend: app }
            """;

    private RuleSet example() {
        return compile(EXAMPLE, Map.of("MAINTD_BYPASS_TOKEN", "s3cret"));
    }

    @Test
    void requestGoesToTheBackendWhileNoFlagIsSet() {
        assertEquals(APP, example().decide(get("/"), client));
    }

    @Test
    void maintenanceFlagServesTheMaintenancePage() {
        RuleSet rules = example();
        set("maint", 1);
        assertEquals(MAINTENANCE, rules.decide(get("/"), client));
    }

    @Test
    void bypassHeaderLetsTheRequestThroughAndSaysSo() {
        RuleSet rules = example();
        set("maint", 1);
        Decision d = rules.decide(get("/", "X-Maintd-Bypass", "s3cret"), client);
        assertEquals(new Decision(Decision.Action.BACKEND, "app", true), d);
        assertEquals("bypass", d.routeLabel());
    }

    @Test
    void wrongBypassTokenGetsTheMaintenancePage() {
        RuleSet rules = example();
        set("maint", 1);
        assertEquals(MAINTENANCE, rules.decide(get("/", "X-Maintd-Bypass", "s3cre"), client));
        assertEquals(MAINTENANCE, rules.decide(get("/", "X-Maintd-Bypass", "s3cret!"), client));
        assertEquals(MAINTENANCE, rules.decide(get("/", "X-Maintd-Bypass", "S3CRET"), client));
    }

    @Test
    void bypassHeaderOutsideMaintenanceIsAnOrdinaryRequest() {
        assertEquals(APP, example().decide(get("/", "X-Maintd-Bypass", "s3cret"), client));
    }

    @Test
    void flipIsSeenOnTheVeryNextDecision() {
        RuleSet rules = example();
        RequestHead request = get("/");
        int stale = 0;
        for (int i = 0; i < 1000; i++) {
            boolean on = i % 2 == 0;
            set("maint", on ? 1 : 0);
            if (!rules.decide(request, client).equals(on ? MAINTENANCE : APP)) {
                stale++;
            }
        }
        assertEquals(0, stale);
    }

    @Test
    void decisionsArePreallocatedPerRule() {
        RuleSet rules = example();
        Decision first = rules.decide(get("/a"), client);
        assertSame(first, rules.decide(get("/b"), client));
        set("maint", 1);
        assertSame(rules.decide(get("/a"), client), rules.decide(get("/b"), client));
    }

    @Test
    void shedRuleShedsTheConfiguredPercentage() {
        RuleSet rules = example();
        set("shed", 30);
        int shed = 0;
        int total = 20_000;
        for (int i = 0; i < total; i++) {
            Decision d = rules.decide(get("/"), client);
            if (d.equals(SHED)) {
                shed++;
            } else {
                assertEquals(APP, d);
            }
        }
        // Binomial(20000, 0.3) has a standard deviation of 65 requests; +-2% is six of them.
        double share = shed / (double) total;
        assertTrue(share > 0.28 && share < 0.32, "shed share " + share);
    }

    @Test
    void shedAtHundredShedsEveryRequestAndBeyondHundredToo() {
        RuleSet rules = example();
        set("shed", 100);
        for (int i = 0; i < 1000; i++) {
            assertEquals(SHED, rules.decide(get("/"), client));
        }
        set("shed", 250);
        assertEquals(SHED, rules.decide(get("/"), client));
    }

    @Test
    void shedRuleThatLetsARequestThroughFallsToTheNextRule() {
        RuleSet rules = compile("""
                  - then: { shed: shed }
                  - then: { backend: api }
                """);
        set("shed", 0);
        assertEquals(API, rules.decide(get("/"), client));
    }

    @Test
    void firstMatchingRuleWins() {
        RuleSet rules = compile("""
                  - match: { path: /api/ }
                    then: { backend: api }
                  - match: { path: /api/ }
                    then: maintenance
                  - then: { backend: app }
                """);
        assertEquals(API, rules.decide(get("/api/users"), client));
        assertEquals(APP, rules.decide(get("/users"), client));
    }

    @Test
    void matchNeedsEveryMatcherAndAnyOfItsValues() {
        RuleSet rules = compile("""
                  - match: { path: /admin, method: [POST, DELETE] }
                    then: maintenance
                  - then: { backend: app }
                """);
        RequestHead post = request("POST", "/admin/x");
        RequestHead delete = request("DELETE", "/admin/x");
        RequestHead postElsewhere = request("POST", "/x");
        assertEquals(MAINTENANCE, rules.decide(post, client));
        assertEquals(MAINTENANCE, rules.decide(delete, client));
        assertEquals(APP, rules.decide(get("/admin/x"), client));
        assertEquals(APP, rules.decide(postElsewhere, client));
    }

    @Test
    void unlessExemptsWhenAnyOfItsMatchersMatches() throws UnknownHostException {
        RuleSet rules = compile("""
                  - if: maint > 0
                    unless: { header: X-Bypass, equals: tok, source: [10.0.0.0/8, "fd00::/8"] }
                    then: maintenance
                  - then: { backend: app }
                """);
        set("maint", 1);
        Decision bypassed = new Decision(Decision.Action.BACKEND, "app", true);
        assertEquals(bypassed, rules.decide(get("/", "X-Bypass", "tok"), client));
        assertEquals(bypassed, rules.decide(get("/"), InetAddress.getByName("10.20.30.40")));
        assertEquals(bypassed, rules.decide(get("/"), InetAddress.getByName("fd12::1")));
        assertEquals(MAINTENANCE, rules.decide(get("/"), client));
    }

    @Test
    void bypassedRequestStillMeetsLaterRules() {
        RuleSet rules = compile("""
                  - if: maint > 0
                    unless: { source: 192.0.2.0/24 }
                    then: maintenance
                  - if: shed >= 100
                    then: { shed: shed }
                  - then: { backend: app }
                """);
        set("maint", 1);
        set("shed", 100);
        assertEquals(new Decision(Decision.Action.SHED, null, true), rules.decide(get("/"), client));
    }

    @Test
    void exemptionFromANonMaintenanceRuleIsNoBypass() {
        RuleSet rules = compile("""
                  - unless: { path: /health }
                    if: drain > 0
                    then: { backend: api }
                  - then: { backend: app }
                """);
        set("drain", 1);
        assertEquals(APP, rules.decide(get("/health"), client));
        assertEquals(API, rules.decide(get("/x"), client));
    }

    @Test
    void conditionsCombineFlagsWithAndOrNot() {
        RuleSet rules = compile("""
                  - if: "(maint > 0 or drain >= 2) and not weight == 0"
                    then: maintenance
                  - then: { backend: app }
                """);
        assertEquals(APP, rules.decide(get("/"), client));
        set("drain", 2);
        assertEquals(MAINTENANCE, rules.decide(get("/"), client));
        set("weight", 0);
        assertEquals(APP, rules.decide(get("/"), client));
        set("weight", 5);
        set("drain", 1);
        assertEquals(APP, rules.decide(get("/"), client));
        set("maint", 1);
        assertEquals(MAINTENANCE, rules.decide(get("/"), client));
    }

    @Test
    void unknownFlagIsNamedWithItsKeyColumnAndTheClosestFlag() {
        ConfigException e = assertThrows(ConfigException.class, () -> compile("""
                  - if: "drain > 0 or mant > 0"
                    then: maintenance
                  - then: { backend: app }
                """));
        assertEquals("test.yaml: rules[0].if: unknown flag 'mant' at column 14 in \"drain > 0 or mant > 0\"; did you mean 'maint'?",
                e.getMessage());
    }

    @Test
    void unrelatedUnknownFlagListsTheFlagsThatExist() {
        ConfigException e = assertThrows(ConfigException.class, () -> compile("""
                  - then: { shed: overload }
                  - then: { backend: app }
                """));
        assertEquals("test.yaml: rules[0].then.shed: unknown flag 'overload'; flags in " + dir.resolve("flags")
                + ": maint, drain, shed, weight", e.getMessage());
    }

    @Test
    void shedFlagThatIsNoFlagNameIsRefusedByTheFilesGrammar() {
        String tooLong = "s".repeat(64);
        ConfigException e = assertThrows(ConfigException.class, () -> compile("""
                  - then: { shed: %s }
                  - then: { backend: app }
                """.formatted(tooLong)));
        assertTrue(e.getMessage().startsWith("test.yaml: rules[0].then.shed: flag name \"" + tooLong
                + "\" is 64 characters; the limit is 63"), e.getMessage());
    }

    @Test
    void unknownBackendInACodeBuiltConfigIsNamed() {
        MaintdConfig loaded = ConfigLoader.parse(BACKENDS + "rules: [ { then: { backend: app } } ]\n", "test.yaml", Map.of(),
                RuleCompiler::check);
        MaintdConfig config = new MaintdConfig(null, loaded.flagsFile(), loaded.listen(), loaded.admin(), List.of(), null, null,
                loaded.backends(), loaded.maintenance(), loaded.limits(), loaded.drain(), loaded.balancersWindow(),
                List.of(new MaintdConfig.RuleConfig("rules[0]", null, List.of(), List.of(),
                        new MaintdConfig.Action(MaintdConfig.Action.Kind.BACKEND, "web"))), loaded.log());
        ConfigException e = assertThrows(ConfigException.class, () -> RuleCompiler.compile(config, reader));
        assertEquals("built-in config: rules[0].then.backend: unknown backend 'web'; backends: app, api", e.getMessage());
    }

    @Test
    void describesItsRulesInOrderForTheLog() {
        assertEquals("rules[0] -> maintenance; rules[1] -> shed; rules[2] -> backend app", example().toString());
    }

    @Test
    void decidingARequestAllocatesNothing() throws UnknownHostException {
        RuleSet rules = compile("""
                  - if: "maint > 0"
                    unless: { header: X-Maintd-Bypass, equals: tok, source: 10.0.0.0/8 }
                    then: maintenance
                  - if: "shed > 0"
                    then: { shed: shed }
                  - then: { backend: app }
                """);
        RequestHead plain = get("/orders/1", "Host", "shop.example.com");
        RequestHead withToken = get("/orders/1", "Host", "shop.example.com", "X-Maintd-Bypass", "tok");
        InetAddress office = InetAddress.getByName("10.9.8.7");
        set("shed", 50);
        assertNoAllocation(() -> rules.decide(plain, client));
        set("shed", 0);
        set("maint", 1);
        assertNoAllocation(() -> rules.decide(plain, client));
        assertNoAllocation(() -> rules.decide(withToken, client));
        assertNoAllocation(() -> rules.decide(plain, office));
    }

    /**
     * Counts the bytes this thread allocates over many decisions. Any per-decision object
     * (even 16 bytes) would show as megabytes; the slack only absorbs one-off allocations.
     */
    private static void assertNoAllocation(java.util.function.Supplier<Decision> decide) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 10_000; i++) {
            decide.get();
        }
        int decisions = 200_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < decisions; i++) {
            decide.get();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64 * 1024, allocated + " bytes allocated over " + decisions + " decisions");
    }
}
