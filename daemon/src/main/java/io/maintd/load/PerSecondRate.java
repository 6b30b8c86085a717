package io.maintd.load;

/**
 * A running total turned into a rate over the last second, from samples the monitor takes on
 * each tick: the rate is the growth since the newest sample at least one second old, divided by
 * the time between the two. Until a second has passed it uses the oldest sample it has. Monitor
 * thread only.
 */
public final class PerSecondRate {
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final long[] atNanos;
    private final long[] totals;
    private int newest = -1;
    private int count;

    /** @param samples how many samples to keep: more than the ticks in a second */
    public PerSecondRate(int samples) {
        atNanos = new long[samples];
        totals = new long[samples];
    }

    /** Adds the sample {@code total} taken at {@code nowNanos} and returns the rate per second, rounded. */
    public long update(long nowNanos, long total) {
        newest = (newest + 1) % totals.length;
        atNanos[newest] = nowNanos;
        totals[newest] = total;
        count = Math.min(count + 1, totals.length);
        int base = -1;
        for (int back = 1; back < count; back++) {
            int i = (newest - back + totals.length) % totals.length;
            base = i;
            if (nowNanos - atNanos[i] >= SECOND_NANOS) {
                break;
            }
        }
        if (base < 0 || atNanos[base] == nowNanos) {
            return 0;
        }
        return Math.round((total - totals[base]) * (double) SECOND_NANOS / (nowNanos - atNanos[base]));
    }
}
