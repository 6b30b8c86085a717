package io.maintd.fleetsync;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between reconnection attempts: doubling from a first to a last delay, each spread by
 * ±20 % so that a fleet of hosts that lost etcd together does not come back in one wave.
 */
final class Backoff {
    private final long firstMillis;
    private final long lastMillis;
    private long current;

    Backoff(long firstMillis, long lastMillis) {
        this.firstMillis = firstMillis;
        this.lastMillis = lastMillis;
        this.current = firstMillis;
    }

    long next() {
        long base = current;
        current = Math.min(lastMillis, current * 2);
        return base + ThreadLocalRandom.current().nextLong(-base / 5, base / 5 + 1);
    }

    void reset() {
        current = firstMillis;
    }
}
