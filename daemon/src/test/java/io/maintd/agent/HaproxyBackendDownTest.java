package io.maintd.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.maintd.daemon.RestartableBackend;
import io.maintd.testsupport.HaproxyProcess;
import io.maintd.testsupport.MaintdProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real HAProxy in front of a real maintd whose application dies: HAProxy's own check still
 * reaches maintd, so only the agent can take the server out, by answering {@code down #why};
 * when the application returns, the agent's {@code up} puts it back.
 */
@Timeout(120)
class HaproxyBackendDownTest {
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(20);

    @TempDir
    Path dir;

    @Test
    void deadApplicationIsTakenOutOfRotationByTheAgentAndPutBackWhenItReturns() throws Exception {
        try (RestartableBackend app = new RestartableBackend("app");
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(dir, "127.0.0.1:0", "127.0.0.1:0",
                     "{ servers: [127.0.0.1:" + app.port() + "], check: { interval: 100ms, rise: 1 } }",
                     "agent: 127.0.0.1:0"), Map.of());
             HaproxyProcess haproxy = HaproxyProcess.start(dir, "backend app\n"
                     + "    server m1 127.0.0.1:" + maintd.port("http") + " check inter 200ms"
                     + " agent-check agent-port " + maintd.port("agent") + " agent-inter 200ms\n")) {
            awaitStat(haproxy, "UP", s -> s.get("status").startsWith("UP"));
            app.stop();
            Map<String, String> down = awaitStat(haproxy, "DOWN", s -> s.get("status").startsWith("DOWN"));
            assertTrue(down.get("last_agt").contains("backend app has no server up"), "agent's reason: " + down);
            app.start();
            awaitStat(haproxy, "UP again", s -> s.get("status").startsWith("UP"));
        }
    }

    private static Map<String, String> awaitStat(HaproxyProcess haproxy, String what,
                                                 Predicate<Map<String, String>> condition) throws Exception {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        Map<String, String> last;
        do {
            last = haproxy.serverStat("app", "m1");
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        fail("m1 never " + what + "; last " + last + "\nhaproxy log:\n" + haproxy.log());
        return last;
    }
}
