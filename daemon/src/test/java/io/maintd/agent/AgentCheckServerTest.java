package io.maintd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.lifecycle.ModeFlagsFixture;
import io.maintd.net.ListenFds;
import io.maintd.net.SlowPeer;
import io.maintd.net.SocketActivation;
import io.maintd.net.Transport;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class AgentCheckServerTest {
    @TempDir
    Path dir;

    private ModeFlagsFixture flags;
    private EventLoopGroup group;
    private AgentCheckServer agent;
    /** What the default backend's health says, as the daemon's BackendHealth would. */
    private volatile String backendDown;

    private void start(Transport transport) {
        flags = ModeFlagsFixture.create(dir);
        group = transport.newGroup(1, "agent-test");
        agent = AgentCheckServer.start(new SocketActivation(ListenFds.none()), group,
                new InetSocketAddress("127.0.0.1", 0), flags.modes(), () -> backendDown);
    }

    @AfterEach
    void stop() {
        agent.close();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        flags.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void readyAnswersReadyWithTheWeightPercent(Transport transport) throws IOException {
        start(transport);
        assertEquals("ready 100% up\n", check(null));
        flags.set("weight", 40);
        assertEquals("ready 40% up\n", check(null));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drainAnswersDrain(Transport transport) throws IOException {
        start(transport);
        flags.set("drain", 1);
        assertEquals("drain up\n", check(null));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void maintAnswersMaint(Transport transport) throws IOException {
        start(transport);
        flags.set("drain", 1);
        flags.set("maint", 1);
        assertEquals("maint up\n", check(null));
    }

    @Test
    void weightOutsideZeroToHundredIsClamped() throws IOException {
        start(Transport.preferred());
        flags.set("weight", 1000);
        assertEquals("ready 100% up\n", check(null));
        flags.set("weight", -3);
        assertEquals("ready 0% up\n", check(null));
    }

    @Test
    void shutdownAnswersDrainWithTheFlagsReady() throws IOException {
        start(Transport.preferred());
        flags.modes().beginShutdown();
        assertEquals("drain up\n", check(null));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void deadDefaultBackendAnswersDownWithTheReasonBesideTheMode(Transport transport) throws IOException {
        start(transport);
        backendDown = "backend app has no server up (127.0.0.1:9001: tcp check: Connection refused)";
        flags.set("weight", 40);
        assertEquals("ready 40% down #backend app has no server up (127.0.0.1:9001: tcp check: Connection refused)\n",
                check(null));
        flags.set("drain", 1);
        assertEquals("drain down #backend app has no server up (127.0.0.1:9001: tcp check: Connection refused)\n",
                check(null));
        flags.set("maint", 1);
        assertEquals("maint down #backend app has no server up (127.0.0.1:9001: tcp check: Connection refused)\n",
                check(null));
        backendDown = null;
        assertEquals("maint up\n", check(null));
    }

    @Test
    void replyArrivesWholeWhenHaproxySendsAnAgentSendString() throws IOException {
        start(Transport.preferred());
        flags.set("drain", 1);
        // HAProxy's agent-send writes first; unread input must not turn our close into a reset.
        assertEquals("drain up\n", check("app/s1\n".repeat(500)));
    }

    @Test
    void eachConnectionGetsExactlyOneLineThenEnds() throws IOException {
        start(Transport.preferred());
        for (int i = 0; i < 20; i++) {
            assertEquals("ready 100% up\n", check(null));
        }
    }

    /** Issue 10: the idle timer restarted on every byte, so a peer sending a byte now and then was never let go. */
    @Test
    void aPeerThatKeepsSendingIsClosedAtTheLifetime() throws Exception {
        flags = ModeFlagsFixture.create(dir);
        group = Transport.preferred().newGroup(1, "agent-test");
        agent = AgentCheckServer.start(new SocketActivation(ListenFds.none()), group,
                new InetSocketAddress("127.0.0.1", 0), flags.modes(), () -> backendDown, Duration.ofSeconds(1));
        assertTrue(SlowPeer.closedWhileTrickling(agent.address(), "x", Duration.ofMillis(300), Duration.ofSeconds(20)));
    }

    /** Connects as HAProxy does, optionally sends, then reads until the agent closes. */
    private String check(String send) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(agent.address(), 10_000);
            if (send != null) {
                socket.getOutputStream().write(send.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
            InputStream in = socket.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            socket.shutdownOutput();
            return reply;
        }
    }
}
