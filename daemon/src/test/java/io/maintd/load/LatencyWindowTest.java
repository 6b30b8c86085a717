package io.maintd.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyWindowTest {
    private static final long MS = 1_000_000;

    @Test
    void everyValueLandsInABucketWhoseMidpointIsWithinSevenPercent() {
        for (long v = 8; v < (1L << 40); v = v * 5 / 4 + 3) {
            int b = LatencyWindow.bucket(v);
            assertTrue(LatencyWindow.lowest(b) <= v && (b + 1 == LatencyWindow.BUCKETS || v < LatencyWindow.lowest(b + 1)),
                    v + " is not inside bucket " + b);
            assertTrue(Math.abs(LatencyWindow.midpoint(b) - v) <= v * 0.0625 + 1, v + " vs " + LatencyWindow.midpoint(b));
        }
    }

    @Test
    void smallNegativeAndHugeValuesHaveABucket() {
        assertEquals(0, LatencyWindow.bucket(-5));
        assertEquals(3, LatencyWindow.bucket(3));
        assertEquals(LatencyWindow.BUCKETS - 1, LatencyWindow.bucket(Long.MAX_VALUE));
    }

    @Test
    void percentilesOfTheWindow() {
        LatencyWindow w = new LatencyWindow();
        w.advance(100);
        for (int i = 0; i < 98; i++) {
            w.record(10 * MS);
        }
        w.record(300 * MS);
        w.record(300 * MS);
        assertEquals(10.0, w.percentileNanos(0.50) / (double) MS, 0.7);
        assertEquals(300.0, w.percentileNanos(0.99) / (double) MS, 19);
        assertEquals(10.0, w.percentileNanos(0.98) / (double) MS, 0.7);
    }

    @Test
    void anEmptyWindowReadsZero() {
        LatencyWindow w = new LatencyWindow();
        w.advance(7);
        assertEquals(0, w.percentileNanos(0.99));
    }

    @Test
    void samplesLeaveTheWindowAfterTenSeconds() {
        LatencyWindow w = new LatencyWindow();
        w.advance(0);
        w.record(300 * MS);
        w.advance(9);
        w.record(10 * MS);
        assertTrue(w.percentileNanos(1.0) > 200 * MS, "the sample of second 0 is still among the last 10 s");
        w.advance(10);
        assertTrue(w.percentileNanos(1.0) < 20 * MS, "the sample of second 0 left the window");
    }

    @Test
    void aLongGapClearsEverySlot() {
        LatencyWindow w = new LatencyWindow();
        w.advance(0);
        for (int s = 0; s < LatencyWindow.SLOTS; s++) {
            w.advance(s);
            w.record(50 * MS);
        }
        w.advance(1_000);
        assertEquals(0, w.percentileNanos(0.5));
    }
}
