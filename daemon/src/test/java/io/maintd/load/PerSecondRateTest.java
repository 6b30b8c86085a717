package io.maintd.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PerSecondRateTest {
    private static final long TICK = 100_000_000L;

    @Test
    void growthOverTheLastSecond() {
        PerSecondRate rate = new PerSecondRate(32);
        long total = 0;
        long last = 0;
        for (int tick = 0; tick <= 30; tick++) {
            last = rate.update(tick * TICK, total);
            total += tick < 20 ? 5 : 50; // 50/s, then 500/s
        }
        assertEquals(500, last);
    }

    @Test
    void beforeASecondHasPassedTheOldestSampleIsTheBase() {
        PerSecondRate rate = new PerSecondRate(32);
        assertEquals(0, rate.update(0, 0));
        assertEquals(100, rate.update(5 * TICK, 50));
    }

    @Test
    void aLateTickIsScaledByTheTimeThatPassed() {
        PerSecondRate rate = new PerSecondRate(32);
        rate.update(0, 0);
        assertEquals(100, rate.update(30 * TICK, 300));
    }

    @Test
    void moreTicksThanSamplesStillGiveARate() {
        PerSecondRate rate = new PerSecondRate(4);
        long last = 0;
        for (int tick = 0; tick < 20; tick++) {
            last = rate.update(tick * TICK, tick * 10L);
        }
        assertEquals(100, last);
    }
}
