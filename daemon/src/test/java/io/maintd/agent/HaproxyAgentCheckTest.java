package io.maintd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import io.maintd.lifecycle.ModeFlagsFixture;
import io.maintd.net.ListenFds;
import io.maintd.net.SocketActivation;
import io.maintd.net.Transport;
import io.maintd.testsupport.HaproxyProcess;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real HAProxy with {@code agent-check} on two servers, each with its own maintd agent and
 * flag file: flipping one instance's flags moves that server, and only that one, between
 * UP, DRAIN and MAINT in {@code show stat}.
 */
@Timeout(120)
class HaproxyAgentCheckTest {
    /** How long HAProxy gets to notice a flip: many agent intervals of 200 ms. */
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path dir;

    private EventLoopGroup group;
    private final Instance s1 = new Instance();
    private final Instance s2 = new Instance();
    private HaproxyProcess haproxy;

    /** One maintd instance as HAProxy sees it: a serving port and its agent. */
    private final class Instance {
        HttpServer backend;
        ModeFlagsFixture flags;
        AgentCheckServer agent;

        void start(Path flagDir) throws IOException {
            Files.createDirectories(flagDir);
            flags = ModeFlagsFixture.create(flagDir);
            backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            backend.createContext("/", exchange -> {
                exchange.sendResponseHeaders(200, 2);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write("ok".getBytes());
                }
            });
            backend.start();
            startAgent(new InetSocketAddress("127.0.0.1", 0));
        }

        void startAgent(InetSocketAddress address) {
            agent = AgentCheckServer.start(new SocketActivation(ListenFds.none()), group, address, flags.modes(), () -> null);
        }

        String serverLine(String name) {
            return "    server " + name + " 127.0.0.1:" + backend.getAddress().getPort()
                    + " weight 100 check inter 1s agent-check agent-port " + agent.address().getPort()
                    + " agent-inter 200ms\n";
        }

        void stop() {
            if (agent != null) {
                agent.close();
            }
            if (backend != null) {
                backend.stop(0);
            }
            if (flags != null) {
                flags.close();
            }
        }
    }

    @BeforeEach
    void startEverything() throws Exception {
        group = Transport.preferred().newGroup(1, "agent-haproxy-test");
        s1.start(dir.resolve("s1"));
        s2.start(dir.resolve("s2"));
        haproxy = HaproxyProcess.start(dir, "backend app\n" + s1.serverLine("s1") + s2.serverLine("s2"));
        awaitStatus("s1", "UP");
        awaitStatus("s2", "UP");
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
        s1.stop();
        s2.stop();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void drainFlagPutsOnlyThatServerInDrain() throws Exception {
        s1.flags.set("drain", 1);
        awaitStatus("s1", "DRAIN");
        assertUp("s2");
    }

    @Test
    void maintFlagPutsTheServerInMaint() throws Exception {
        s2.flags.set("maint", 1);
        awaitStatus("s2", "MAINT");
        assertUp("s1");
    }

    @Test
    void readyUndoesTheAgentsOwnDrainAndMaint() throws Exception {
        s1.flags.set("drain", 1);
        awaitStatus("s1", "DRAIN");
        s1.flags.set("drain", 0);
        awaitStatus("s1", "UP");
        s1.flags.set("maint", 1);
        awaitStatus("s1", "MAINT");
        s1.flags.set("maint", 0);
        awaitStatus("s1", "UP");
    }

    @Test
    void weightFlagSetsThePercentOfTheConfiguredWeight() throws Exception {
        s2.flags.set("weight", 40);
        awaitStat("s2", "weight 40", s -> s.get("weight").equals("40"));
        assertEquals("100", stat("s1").get("weight"));
    }

    /** Weight 0 takes no new traffic, but show stat still says UP: only "drain" is a drain there. */
    @Test
    void zeroWeightLeavesTheServerUpWithNoShare() throws Exception {
        s1.flags.set("weight", 0);
        awaitStat("s1", "weight 0", s -> s.get("weight").equals("0"));
        assertUp("s1");
    }

    @Test
    void serverStaysDrainedWhileItsAgentIsGoneUntilANewAgentSaysReady() throws Exception {
        s1.flags.set("drain", 1);
        awaitStatus("s1", "DRAIN");
        InetSocketAddress agentAddress = s1.agent.address();
        s1.agent.close();
        // HAProxy has now tried the agent and failed to connect (L4CON): it keeps the drain.
        awaitStat("s1", "agent_status L4CON", s -> s.get("agent_status").startsWith("L4CON"));
        assertTrue(stat("s1").get("status").startsWith("DRAIN"), stat("s1").get("status"));
        // What a restart does: the new instance starts on the same port and is undrained.
        s1.flags.set("drain", 0);
        s1.startAgent(agentAddress);
        awaitStatus("s1", "UP");
    }

    @Test
    void shutdownDrainsTheServerWithoutTheFlag() throws Exception {
        s1.flags.modes().beginShutdown();
        awaitStatus("s1", "DRAIN");
    }

    /** Not drained and not in maint; "UP 1/3" (one failed health check on a busy machine) still counts. */
    private void assertUp(String server) throws IOException {
        String status = stat(server).get("status");
        assertTrue(status.startsWith("UP"), server + " is " + status);
    }

    private Map<String, String> stat(String server) throws IOException {
        return haproxy.serverStat("app", server);
    }

    /** The status column starts with {@code status} ("MAINT" also reads "MAINT (via ...)" in some versions). */
    private void awaitStatus(String server, String status) throws Exception {
        awaitStat(server, "status " + status, s -> s.get("status").startsWith(status));
    }

    private void awaitStat(String server, String what, Predicate<Map<String, String>> condition) throws Exception {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        Map<String, String> last;
        do {
            last = stat(server);
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        fail(server + " never reached " + what + "; last status " + last.get("status") + ", weight " + last.get("weight")
                + ", last agent check " + last.get("last_agt") + "\nhaproxy log:\n" + haproxy.log());
    }
}
