package io.maintd.load;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Upstream latencies of the last 10 seconds, for the {@code latency_p50_ms} and
 * {@code latency_p99_ms} facts. The request path only {@link #record records}: one volatile
 * read of the current second's slot and one atomic increment of a log-scale bucket, no clock
 * read, no lock, no allocation. The monitor thread {@link #advance advances} the second and
 * computes the percentiles over the buckets on its own tick.
 *
 * <p>Buckets are log-linear, as HdrHistogram's with 3 significant bits: values below 8 ns have a
 * bucket each; above, every power of two is split into 8 equal buckets, so a bucket is at most
 * 12.5 % wide and its midpoint within 6.25 % of any value in it. The ring holds
 * {@value #SLOTS} one-second slots: the current second, the 9 before it (the window), and one
 * spare that {@link #advance} clears before it becomes current. A recorder that read the old
 * slot index just before an advance still writes into a second that is in the window.
 */
public final class LatencyWindow {
    /** Seconds summed by {@link #percentileNanos}: the current one and the 9 before it. */
    public static final int WINDOW_SECONDS = 10;
    static final int SLOTS = WINDOW_SECONDS + 1;
    private static final int SUB_BITS = 3;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    /** Values of 2^40 ns (18 minutes) and more share the last bucket. */
    private static final int MAX_EXPONENT = 40;
    static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(SLOTS * BUCKETS);
    /** Offset of the current second's slot in {@link #counts}; written by the monitor only. */
    private volatile int current;
    private long currentSecond = Long.MIN_VALUE;
    /** The window's buckets summed, reused by each {@link #percentileNanos} on the monitor thread. */
    private final long[] merged = new long[BUCKETS];

    /** On the request path: one upstream response head after {@code nanos}. */
    public void record(long nanos) {
        counts.getAndIncrement(current + bucket(nanos));
    }

    /**
     * On the monitor thread: makes {@code second} (any monotonic second count) the current
     * slot, clearing the slots of the seconds skipped since the last call.
     */
    public void advance(long second) {
        if (second == currentSecond) {
            return;
        }
        long steps = currentSecond == Long.MIN_VALUE ? SLOTS : Math.min(second - currentSecond, SLOTS);
        int slot = current / BUCKETS;
        for (long i = 0; i < steps; i++) {
            slot = (slot + 1) % SLOTS;
            clear(slot);
        }
        currentSecond = second;
        current = slot * BUCKETS;
    }

    /**
     * The latency below which {@code fraction} of the window's samples fall, in nanoseconds (the
     * midpoint of the bucket holding that rank); 0 when the window holds no sample.
     */
    public long percentileNanos(double fraction) {
        java.util.Arrays.fill(merged, 0);
        long total = 0;
        int slot = current / BUCKETS;
        for (int s = 0; s < WINDOW_SECONDS; s++) {
            int base = ((slot - s + SLOTS) % SLOTS) * BUCKETS;
            for (int b = 0; b < BUCKETS; b++) {
                long n = counts.get(base + b);
                merged[b] += n;
                total += n;
            }
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += merged[b];
            if (seen >= rank) {
                return midpoint(b);
            }
        }
        return midpoint(BUCKETS - 1);
    }

    private void clear(int slot) {
        int base = slot * BUCKETS;
        for (int b = 0; b < BUCKETS; b++) {
            counts.set(base + b, 0);
        }
    }

    static int bucket(long nanos) {
        if (nanos < SUB_BUCKETS) {
            return (int) Math.max(nanos, 0);
        }
        int exponent = 63 - Long.numberOfLeadingZeros(nanos);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int sub = (int) (nanos >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return (exponent - SUB_BITS + 1) * SUB_BUCKETS + sub;
    }

    /** The smallest value in bucket {@code b}. */
    static long lowest(int b) {
        if (b < SUB_BUCKETS) {
            return b;
        }
        int exponent = b / SUB_BUCKETS + SUB_BITS - 1;
        long sub = b % SUB_BUCKETS;
        return (SUB_BUCKETS + sub) << (exponent - SUB_BITS);
    }

    static long midpoint(int b) {
        if (b < SUB_BUCKETS) {
            return b;
        }
        long low = lowest(b);
        long width = 1L << (b / SUB_BUCKETS - 1);
        return low + width / 2;
    }
}
