package io.maintd.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-server state machine, fed check results and refusals in order, as the health loop feeds it. */
class ServerHealthTest {
    private static final int RISE = 2;
    private static final int FALL = 3;
    private static final long CAP = TimeUnit.SECONDS.toNanos(1);

    private final List<String> refusals = new ArrayList<>();
    private final ServerHealth server = new ServerHealth("app", new InetSocketAddress("127.0.0.1", 9001), 0, refusals::add);
    private long now;

    private ServerHealth.Change pass() {
        return server.checkPassed(++now, RISE);
    }

    private ServerHealth.Change fail() {
        return server.checkFailed("tcp check: Connection refused", ++now, ++now, FALL);
    }

    @Test
    void aNewServerIsUpAndItsFirstFailedCheckTakesItDown() {
        assertTrue(server.isUp());
        ServerHealth.Change change = fail();
        assertNotNull(change);
        assertFalse(change.up());
        assertEquals("tcp check: Connection refused (first check)", change.reason());
        assertFalse(server.isUp());
    }

    @Test
    void fallConsecutiveFailuresTakeItDownAndRiseConsecutivePassesBringItBack() {
        assertNull(pass(), "clears the probation");
        assertNull(fail());
        assertNull(fail());
        assertTrue(server.isUp(), "two of three failures");
        ServerHealth.Change down = fail();
        assertEquals("tcp check: Connection refused (3 consecutive failed checks)", down.reason());
        assertFalse(server.isUp());
        assertNull(pass());
        assertFalse(server.isUp(), "one of two passes");
        ServerHealth.Change up = pass();
        assertTrue(up.up());
        assertEquals("2 consecutive passed checks", up.reason());
        assertTrue(server.isUp());
    }

    @Test
    void anInterruptedRunStartsCountingAgain() {
        pass();
        fail();
        fail();
        pass();
        assertNull(fail());
        assertNull(fail());
        assertTrue(server.isUp(), "the pass in between reset the count");
        assertNotNull(fail());
        pass();
        fail();
        assertNull(pass());
        assertFalse(server.isUp(), "the failure in between reset the passes");
        assertNotNull(pass());
    }

    @Test
    void aRefusedConnectionTakesItDownAtOnceAndTheFirstPassedProbeBringsItBack() {
        pass();
        ServerHealth.Change down = server.refused("request connect: Connection refused", ++now, ++now);
        assertFalse(down.up());
        assertEquals("request connect: Connection refused", down.reason());
        assertTrue(server.probing());
        ServerHealth.Change up = pass();
        assertTrue(up.up(), "rise does not apply to a server that was only refused");
        assertEquals("probe passed", up.reason());
        assertFalse(server.probing());
    }

    @Test
    void probesStartAt100MillisecondsAndDoubleUpToTheCap() {
        server.refused("request connect: Connection refused", ++now, ++now);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            delays.add(TimeUnit.NANOSECONDS.toMillis(server.takeProbeDelay(CAP)));
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L), delays);
    }

    /** retry-backoff has no upper bound: doubling must stop at the cap, never wrap around to a negative delay. */
    @Test
    void probeDelayNeverOverflowsAHugeCap() {
        server.refused("request connect: Connection refused", ++now, ++now);
        long last = 0;
        for (int i = 0; i < 100; i++) {
            long delay = server.takeProbeDelay(Long.MAX_VALUE);
            assertTrue(delay >= last, "delay " + i + " went from " + last + " to " + delay);
            last = delay;
        }
        assertEquals(Long.MAX_VALUE, last);
    }

    /** Before: every refusal pushed the back-off deadline further, so a busy proxy never retried. */
    @Test
    void refusalsWhileDownChangeNothingButTheTimeOfTheLastFailure() {
        server.refused("request connect: Connection refused", ++now, ++now);
        assertEquals(100, TimeUnit.NANOSECONDS.toMillis(server.takeProbeDelay(CAP)));
        long before = server.lastFailureNanos();
        for (int i = 0; i < 1000; i++) {
            assertNull(server.refused("request connect: Connection refused", ++now, ++now));
        }
        assertTrue(server.lastFailureNanos() > before);
        assertEquals(200, TimeUnit.NANOSECONDS.toMillis(server.takeProbeDelay(CAP)), "the schedule went on unchanged");
    }

    @Test
    void aServerDownFromChecksIsNotOnTheProbeSchedule() {
        fail();
        assertFalse(server.probing());
        server.refused("request connect: Connection refused", ++now, ++now);
        assertFalse(server.probing(), "it still needs rise passed checks");
        pass();
        assertFalse(server.isUp());
    }

    @Test
    void refusalsFromOtherThreadsAreHandedOnWithAShortReason() {
        server.connectRefused(new java.net.ConnectException("finishConnect(..) failed: Connection refused: /127.0.0.1:9001"));
        assertEquals(List.of("request connect: Connection refused"), refusals);
        assertTrue(server.isUp(), "the health loop applies it, not the caller");
    }

    @Test
    void refusalsWhileDownOnlyStoreTheTimeWithoutATripToTheHealthLoop() {
        server.refused("request connect: Connection refused", ++now, ++now);
        long before = server.lastFailureNanos();
        server.connectRefused(new java.net.ConnectException("Connection refused"));
        assertEquals(List.of(), refusals);
        assertTrue(server.lastFailureNanos() != before, "the next pick sees it failed just now");
    }
}
