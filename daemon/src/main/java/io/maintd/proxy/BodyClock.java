package io.maintd.proxy;

import java.util.concurrent.TimeUnit;

/**
 * How long the proxy has waited for one request body, against what the body may take
 * ({@code limits.body-timeout}, {@code limits.body-min-rate}). Only time the proxy spends
 * waiting for the client counts: from asking the socket for body bytes until they arrive.
 * While the backend is slow to take the body, the proxy does not read the client at all (see
 * {@link UpstreamRelay}), so back-pressure never counts against a client.
 *
 * <p>A body is overdue when either holds:
 * <ul>
 *   <li>one wait lasted the body timeout (nginx's {@code client_body_timeout}, a per-read limit);</li>
 *   <li>all waits together exceed the body timeout plus one second per {@code min-rate} bytes
 *       received (Apache mod_reqtimeout's {@code body=20,MinRate=500}). A client that sends a
 *       byte just before each per-read deadline passes the first rule forever; it fails this one
 *       once its grace is spent.</li>
 * </ul>
 * Times are {@link System#nanoTime()} values passed in, so the arithmetic is tested without
 * waiting.
 */
final class BodyClock {
    private final long timeoutNanos;
    /** Bytes per second; 0 turns the rate rule off. */
    private final long minRate;
    private long bytes;
    private long waitedNanos;
    private long waitingSince;
    private boolean waiting;

    BodyClock(long timeoutNanos, long minRate) {
        this.timeoutNanos = timeoutNanos;
        this.minRate = minRate;
    }

    /** A new body begins: nothing received, nothing waited. */
    void start() {
        bytes = 0;
        waitedNanos = 0;
        waiting = false;
    }

    /** The proxy asked the client for body bytes at {@code now}; a wait already running goes on. */
    void waitFrom(long now) {
        if (!waiting) {
            waiting = true;
            waitingSince = now;
        }
    }

    /** {@code count} bytes arrived at {@code now}, ending the wait. */
    void received(long count, long now) {
        bytes += count;
        if (waiting) {
            waiting = false;
            waitedNanos += now - waitingSince;
        }
    }

    /**
     * Nanoseconds until the body is overdue if nothing more arrives, 0 or less when it is overdue
     * now. While the proxy is not waiting this is how soon it could become overdue, should a wait
     * start at once: a timer set to it never fires late.
     */
    long nanosLeft(long now) {
        long current = waiting ? now - waitingSince : 0;
        long stallLeft = timeoutNanos - current;
        if (minRate == 0) {
            return stallLeft;
        }
        return Math.min(stallLeft, allowanceNanos() - waitedNanos - current);
    }

    long bytes() {
        return bytes;
    }

    long waitedMillis(long now) {
        return TimeUnit.NANOSECONDS.toMillis(waitedNanos + (waiting ? now - waitingSince : 0));
    }

    /** The grace plus one second per {@code minRate} bytes, saturating rather than overflowing. */
    private long allowanceNanos() {
        long seconds = bytes / minRate;
        if (seconds >= (Long.MAX_VALUE - timeoutNanos) / TimeUnit.SECONDS.toNanos(1) - 1) {
            return Long.MAX_VALUE;
        }
        return timeoutNanos + TimeUnit.SECONDS.toNanos(seconds) + (bytes % minRate) * TimeUnit.SECONDS.toNanos(1) / minRate;
    }
}
