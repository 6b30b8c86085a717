package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FollowerTest {
    private static final FollowProfile SHED = FollowProfile.SHED;
    private static final FollowProfile WEIGHT = FollowProfile.WEIGHT;

    /** Runs one tick and applies the write, as the command does; returns the flag's value after it. */
    private static final class Run {
        final Follower follower;
        final FollowProfile profile;
        long now;
        long value;
        long expiresAt;
        int writes;

        Run(FollowProfile profile, long value) {
            this.profile = profile;
            this.follower = new Follower(profile);
            this.value = value;
        }

        long tick(long fact) {
            now += profile.everyMillis();
            Follower.Move move = follower.decide(now, fact, value, expiresAt);
            if (move.writes()) {
                value = move.value();
                expiresAt = now + profile.forMillis();
                writes++;
            }
            if (expiresAt != 0 && now >= expiresAt) {
                expiresAt = 0;
            }
            return value;
        }

        void ticks(int count, long fact) {
            for (int i = 0; i < count; i++) {
                tick(fact);
            }
        }
    }

    @Test
    void shedRisesOneStepPerTickUpToItsLimit() {
        Run run = new Run(SHED, 0);
        assertEquals(10, run.tick(800));
        assertEquals(20, run.tick(800));
        run.ticks(10, 800);
        assertEquals(SHED.limit(), run.value);
    }

    @Test
    void betweenTheLevelsNothingMoves() {
        Run run = new Run(SHED, 0);
        run.tick(800);
        long writes = run.writes;
        assertEquals(10, run.tick(400));
        assertEquals(10, run.tick(260));
        assertEquals(writes, run.writes);
    }

    @Test
    void reliefWaitsTheHoldAfterTheLastHighReading() {
        Run run = new Run(SHED, 0);
        run.tick(800);
        long highAt = run.now;
        while (run.now - highAt < SHED.holdMillis() - SHED.everyMillis()) {
            assertEquals(10, run.tick(100), "held at " + (run.now - highAt) + " ms");
        }
        assertEquals(0, run.tick(100));
    }

    @Test
    void aHighReadingDuringTheHoldStartsItAgain() {
        Run run = new Run(SHED, 0);
        run.tick(800);
        run.ticks(20, 100);
        run.tick(900);
        long highAt = run.now;
        while (run.now - highAt < SHED.holdMillis()) {
            assertTrue(run.tick(100) >= 10);
        }
    }

    @Test
    void weightFallsUnderCpuLoadAndNeverBelowItsLimit() {
        Run run = new Run(WEIGHT, 100);
        assertEquals(90, run.tick(95));
        run.ticks(20, 95);
        assertEquals(WEIGHT.limit(), run.value);
        run.ticks(100, 10);
        assertEquals(100, run.value);
    }

    @Test
    void aHeldValueIsRenewedBeforeItsExpiryAndRestIsNot() {
        Run run = new Run(SHED, 0);
        run.tick(800);
        for (int i = 0; i < 100; i++) {
            run.tick(400);
            assertTrue(run.expiresAt > run.now, "the expiry ran out at tick " + i);
        }
        assertEquals(10, run.value);
        Run resting = new Run(SHED, 0);
        resting.ticks(100, 100);
        assertEquals(0, resting.writes);
    }

    @Test
    void anUnknownFactWritesNothingSoTheFlagExpires() {
        Run run = new Run(SHED, 0);
        run.tick(800);
        run.ticks(100, -1);
        assertEquals(1, run.writes);
        assertEquals(0, run.expiresAt);
    }

    @Test
    void aValueOutsideTheRangeIsTheOperatorsAndLeftAlone() {
        assertFalse(new Follower(SHED).decide(1_000, 800, 80, 0).writes());
        assertFalse(new Follower(WEIGHT).decide(1_000, 10, 5, 0).writes());
    }

    @Test
    void theReasonNamesTheFactAndTheLevel() {
        assertEquals("latency_p99_ms=800 >= on 500", new Follower(SHED).decide(1_000, 800, 0, 0).reason());
        assertEquals("cpu_busy=90 >= on 80", new Follower(WEIGHT).decide(1_000, 90, 100, 0).reason());
    }

    @Test
    void settingsThatCannotWorkAreRefused() {
        assertNull(SHED.problem());
        assertNull(WEIGHT.problem());
        assertTrue(SHED.with(100, 100, 50, 10, 0, 1000, 30_000, "x").problem().contains("--off"));
        assertTrue(SHED.with(500, 100, 50, 0, 0, 1000, 30_000, "x").problem().contains("--step"));
        assertTrue(SHED.with(500, 100, 0, 10, 0, 1000, 30_000, "x").problem().contains("--limit"));
        assertTrue(SHED.with(500, 100, 50, 10, 0, 1000, 2_000, "x").problem().contains("--for"));
    }
}
