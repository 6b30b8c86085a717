package io.maintd.config;

import static io.maintd.proxy.http.ParsedHeads.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.maintd.proxy.http.RequestHead;
import io.maintd.rules.Decision;
import io.maintd.rules.RuleCompiler;
import io.maintd.rules.RuleSet;
import io.maintd.testsupport.TempFlagFile;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped conf/maintd.yaml loads, compiles and routes as its comments say. */
class ExampleConfigTest {
    /** Tests run in the daemon module's directory. */
    private static final Path EXAMPLE = Path.of("..", "conf", "maintd.yaml");

    @Test
    void exampleLoadsAndCompilesAgainstTheStandardFlags(@TempDir Path dir) throws Exception {
        MaintdConfig config = ConfigLoader.load(EXAMPLE, Map.of("MAINTD_BYPASS_TOKEN", "let-me-in"), RuleCompiler::check);
        TempFlagFile flags = TempFlagFile.withOperatorFlags(dir);
        RuleSet rules = RuleCompiler.compile(config, flags.reader());
        InetAddress client = InetAddress.getByName("198.51.100.1");
        RequestHead plain = get("/");
        RequestHead withToken = get("/", "X-Maintd-Bypass", "let-me-in");

        assertEquals(new Decision(Decision.Action.BACKEND, "app", false), rules.decide(plain, client));
        flags.set("maint", 1);
        assertEquals(new Decision(Decision.Action.MAINTENANCE, null, false), rules.decide(plain, client));
        assertEquals(new Decision(Decision.Action.BACKEND, "app", true), rules.decide(withToken, client));
    }

    @Test
    void withoutATokenTheExampleStartsAndNothingBypassesMaintenance(@TempDir Path dir) throws Exception {
        MaintdConfig config = ConfigLoader.load(EXAMPLE, Map.of(), RuleCompiler::check);
        TempFlagFile flags = TempFlagFile.withOperatorFlags(dir);
        RuleSet rules = RuleCompiler.compile(config, flags.reader());
        flags.set("maint", 1);
        InetAddress client = InetAddress.getByName("198.51.100.1");
        for (String sent : new String[] {"", "let-me-in"}) {
            RequestHead request = get("/", "X-Maintd-Bypass", sent);
            assertEquals(new Decision(Decision.Action.MAINTENANCE, null, false), rules.decide(request, client),
                    "X-Maintd-Bypass: \"" + sent + "\"");
        }
    }
}
