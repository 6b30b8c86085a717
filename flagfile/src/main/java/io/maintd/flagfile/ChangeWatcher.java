package io.maintd.flagfile;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for the change sequence to move. It parks between polls, starting at 1 ms and backing
 * off to 50 ms while nothing changes, so an idle watcher costs ~20 wake-ups a second and a
 * busy one notices within a millisecond or two. There is no busy spin.
 */
public final class ChangeWatcher {
    static final long MIN_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final FlagReader reader;

    ChangeWatcher(FlagReader reader) {
        this.reader = reader;
    }

    /**
     * Returns the sequence once it differs from {@code seen}, or {@code seen} itself when the
     * timeout passes or the thread is interrupted first.
     */
    public long awaitChange(long seen, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        long park = MIN_PARK_NANOS;
        while (true) {
            long now = reader.changeSequence();
            if (now != seen) {
                return now;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                return seen;
            }
            LockSupport.parkNanos(Math.min(park, left));
            park = Math.min(park * 2, MAX_PARK_NANOS);
        }
    }
}
