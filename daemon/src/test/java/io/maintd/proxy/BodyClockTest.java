package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The body deadline's arithmetic, with the clock passed in: no test here waits. */
class BodyClockTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void oneWaitMayLastTheBodyTimeout() {
        BodyClock clock = new BodyClock(20 * S, 500);
        clock.start();
        clock.waitFrom(0);
        assertEquals(S, clock.nanosLeft(19 * S));
        assertEquals(0, clock.nanosLeft(20 * S));
    }

    @Test
    void aByteJustBeforeEachPerReadDeadlineRunsOutOfGrace() {
        BodyClock clock = new BodyClock(20 * S, 500);
        clock.start();
        long now = 0;
        clock.waitFrom(now);
        now += 19 * S;
        clock.received(1, now);
        clock.waitFrom(now);
        // 19 s waited for 1 byte: the allowance is 20 s + 1/500 s, so about 1 s is left, not 20.
        assertEquals(S + S / 500, clock.nanosLeft(now));
    }

    @Test
    void bytesEarnTimeAtTheMinimumRate() {
        BodyClock clock = new BodyClock(20 * S, 500);
        clock.start();
        clock.waitFrom(0);
        clock.received(500 * 100, 10 * S);
        // Waited 10 s; allowance 20 s + 100 s; but the next single wait is still capped at 20 s.
        assertEquals(20 * S, clock.nanosLeft(10 * S));
        clock.waitFrom(10 * S);
        assertEquals(S, clock.nanosLeft(29 * S));
    }

    @Test
    void timeNotSpentWaitingIsNotCounted() {
        BodyClock clock = new BodyClock(S, 100);
        clock.start();
        clock.waitFrom(0);
        clock.received(10, S / 2);
        // The proxy did not ask for more for an hour (the backend was slow to take the body).
        long later = 3600 * S;
        assertEquals(S / 2 + S / 10, clock.nanosLeft(later));
        clock.waitFrom(later);
        assertEquals(S / 10, clock.nanosLeft(later + S / 2));
    }

    @Test
    void aRateOfZeroLeavesOnlyThePerWaitLimit() {
        BodyClock clock = new BodyClock(S, 0);
        clock.start();
        for (long t = 0; t < 1000 * S; t += S - 1) {
            clock.waitFrom(t);
            clock.received(1, t + S - 2);
            assertTrue(clock.nanosLeft(t + S - 2) > 0);
        }
    }

    @Test
    void aHugeBodySaturatesInsteadOfOverflowing() {
        BodyClock clock = new BodyClock(S, 1);
        clock.start();
        clock.received(Long.MAX_VALUE / 2, 0);
        clock.waitFrom(0);
        assertEquals(S, clock.nanosLeft(0));
    }

    @Test
    void startForgetsThePreviousBody() {
        BodyClock clock = new BodyClock(S, 100);
        clock.start();
        clock.waitFrom(0);
        clock.start();
        assertEquals(S, clock.nanosLeft(10 * S));
        assertEquals(0, clock.bytes());
    }
}
