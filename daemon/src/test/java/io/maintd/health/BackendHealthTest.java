package io.maintd.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.config.ConfigLoader;
import io.maintd.config.MaintdConfig;
import io.maintd.net.Transport;
import io.maintd.rules.RuleCompiler;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Active checks and probes over real sockets, on a real event loop, against servers the test scripts. */
@Timeout(60)
class BackendHealthTest {
    private final EventLoopGroup group = Transport.preferred().newGroup(1, "health-test");
    private final BackendHealth health = BackendHealth.create(group, null);

    @AfterEach
    void stop() {
        health.close();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static MaintdConfig config(String backends) {
        return ConfigLoader.parse("backends:\n" + backends + "rules:\n  - then: { backend: app }\n", "test.yaml", Map.of(),
                RuleCompiler::check);
    }

    private static String app(InetSocketAddress server, String check) {
        return "  app: { servers: [127.0.0.1:" + server.getPort() + "], check: " + check + " }\n";
    }

    /** Plans and commits {@code config}; the health of backend app's first server. */
    private ServerHealth start(MaintdConfig config) {
        BackendHealth.Plan plan = health.plan(config);
        plan.commit();
        return plan.servers("app").get(0);
    }

    private static InetSocketAddress refusingAddress() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never " + what);
            }
            Thread.sleep(5);
        }
    }

    /**
     * Script: pass (ends the probation), fail twice (still up: fall is 3), pass, fail three
     * times (down at the third), pass once (still down: rise is 2), fail, pass twice (up at the
     * second).
     */
    @Test
    void riseAndFallCountConsecutiveChecks() throws Exception {
        int[] statuses = {200, 500, 500, 200, 500, 500, 500, 200, 500, 200, 200};
        List<Boolean> upAfter = List.of(true, true, true, true, true, true, false, false, false, false, true);
        List<Boolean> seen = scriptedChecks(statuses, "{ path: /healthz, interval: 250ms, rise: 2, fall: 3 }");
        assertEquals(upAfter, seen);
    }

    @Test
    void httpCheckPassesOnTheExpectedStatusOnly() throws Exception {
        List<Boolean> seen = scriptedChecks(new int[] {200, 204, 201},
                "{ path: /ping, expect-status: 204, interval: 250ms, rise: 1, fall: 1 }");
        assertEquals(List.of(false, true, false), seen);
    }

    @Test
    void withoutExpectStatusAny2xxOr3xxPasses() throws Exception {
        List<Boolean> seen = scriptedChecks(new int[] {302, 204, 404, 200, 500, 301},
                "{ path: /, interval: 250ms, rise: 1, fall: 1 }");
        assertEquals(List.of(true, true, false, true, false, true), seen);
    }

    /**
     * Runs the checks {@code check} configures against a server answering {@code statuses} in
     * turn; returns whether the server was up after each of them, as seen when the next check
     * arrived (it starts only after the verdict before it was applied).
     */
    private List<Boolean> scriptedChecks(int[] statuses, String check) throws Exception {
        // The interval is also each check's timeout: 250 ms, not less, so a check on a loaded
        // machine is not failed by its own deadline before the scripted answer arrives.
        AtomicReference<ServerHealth> server = new AtomicReference<>();
        List<Boolean> upBefore = new CopyOnWriteArrayList<>();
        try (CheckTarget target = CheckTarget.answering(0, i -> CheckTarget.status(i < statuses.length ? statuses[i] : 200),
                i -> upBefore.add(server.get().isUp()))) {
            BackendHealth.Plan plan = health.plan(config(app(target.address(), check)));
            server.set(plan.servers("app").get(0));
            plan.commit();
            target.awaitRequests(statuses.length + 1);
            String first = target.requests.get(0);
            assertTrue(first.startsWith("GET " + check.replaceAll(".*path: (\\S+),.*", "$1") + " HTTP/1.1\r\n"), first);
            assertTrue(first.contains("\r\nhost: 127.0.0.1:" + target.address().getPort() + "\r\n"), first);
        }
        assertEquals(true, upBefore.get(0), "a new server starts up");
        return upBefore.subList(1, statuses.length + 1);
    }

    /** Whatever a broken or hostile server answers, the check fails with a reason and nothing hangs. */
    @Test
    void malformedTruncatedOversizeAndSilentAnswersFailTheCheck() throws Exception {
        Map<String, String> answers = Map.of(
                "garbage", "SSH-2.0-OpenSSH_9.2\r\n\r\n",
                "truncated", "HTTP/1.1 20",
                "oversize", "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n",
                "empty", "");
        for (Map.Entry<String, String> answer : answers.entrySet()) {
            try (CheckTarget target = CheckTarget.answering(i -> answer.getValue())) {
                ServerHealth server = start(config(app(target.address(), "{ path: /healthz, interval: 200ms }")));
                await(answer.getKey() + " failing the check", () -> !server.isUp());
                assertTrue(server.reason().startsWith("http check GET /healthz: "), answer.getKey() + ": " + server.reason());
            }
        }
        try (CheckTarget silent = CheckTarget.answering(i -> null)) {
            ServerHealth server = start(config(app(silent.address(), "{ path: /healthz, interval: 100ms }")));
            await("a silent server failing the check", () -> !server.isUp());
            assertEquals("http check GET /healthz: no response within 100 ms (first check)", server.reason());
        }
    }

    @Test
    void tcpCheckFindsADeadServerAndRisePassedChecksBringItBack() throws Exception {
        InetSocketAddress address = refusingAddress();
        ServerHealth server = start(config(app(address, "{ interval: 20ms, rise: 2 }")));
        await("down", () -> !server.isUp());
        assertTrue(server.reason().startsWith("tcp check: Connection refused"), server.reason());
        try (CheckTarget back = CheckTarget.answering(address.getPort(), i -> "")) {
            await("up again", server::isUp);
            // The kernel completes a check's connection before the target's accept() returns.
            await("two checks' connections accepted (rise 2)", () -> back.connections() >= 2);
        }
    }

    /** With active checks off, a server a request found refused is probed until it is back, then left alone. */
    @Test
    void refusedServerIsProbedBackAndThenNoLongerChecked() throws Exception {
        InetSocketAddress address = refusingAddress();
        ServerHealth server = start(config(app(address, "off")));
        server.connectRefused(new ConnectException("Connection refused"));
        await("down after the refusal", () -> !server.isUp());
        try (CheckTarget back = CheckTarget.answering(address.getPort(), i -> "")) {
            await("back on the first probe that passed", server::isUp);
            // The kernel completes the probe's connection before the target's accept() returns.
            await("the probe's connection accepted", () -> back.connections() >= 1);
            Thread.sleep(300);
            assertEquals(1, back.connections(), "no checks while up with checks off");
        }
    }

    @Test
    void reloadKeepsTheStateOfKeptServersAndStopsCheckingDroppedOnes() throws Exception {
        InetSocketAddress dead = refusingAddress();
        try (CheckTarget dropped = CheckTarget.answering(i -> "")) {
            ServerHealth kept = start(config("  app: { servers: [127.0.0.1:" + dead.getPort() + "], check: { interval: 20ms } }\n"
                    + "  old: { servers: [127.0.0.1:" + dropped.address().getPort() + "], check: { interval: 20ms } }\n"));
            await("down", () -> !kept.isUp());
            await("the dropped backend checked", () -> dropped.connections() > 0);
            BackendHealth.Plan next = health.plan(config(
                    "  app: { servers: [127.0.0.1:" + dead.getPort() + "], check: { interval: 20ms } }\n"));
            next.commit();
            assertSame(kept, next.servers("app").get(0), "the same server keeps its state");
            assertFalse(next.servers("app").get(0).isUp());
            Thread.sleep(200);
            int seen = dropped.connections();
            Thread.sleep(300);
            assertEquals(seen, dropped.connections(), "the dropped server is no longer checked");
            assertEquals(List.of("app"), health.view().stream().map(BackendHealth.BackendView::name).toList());
        }
    }

    @Test
    void theDefaultBackendIsDownOnlyWhenItHasNoServerUp() throws Exception {
        InetSocketAddress dead = refusingAddress();
        try (CheckTarget live = CheckTarget.answering(i -> "")) {
            String two = "  app: { servers: [127.0.0.1:" + dead.getPort() + ", 127.0.0.1:" + live.address().getPort()
                    + "], check: { interval: 20ms } }\n";
            ServerHealth first = start(config(two));
            await("the dead one down", () -> !first.isUp());
            assertNull(health.downReason(), "the other server is up");
        }
        ServerHealth only = start(config(app(dead, "{ interval: 20ms }")));
        await("down", () -> !only.isUp());
        assertTrue(health.downReason().startsWith("backend app has no server up (127.0.0.1:" + dead.getPort()
                + ": tcp check: Connection refused"), health.downReason());
    }
}
