package io.maintd.cli;

import java.util.List;

/**
 * What {@code flagctl follow} steers, and how carefully: a flag moved between its resting value
 * and a limit according to a fact the daemon publishes. When the fact is at or above {@code on}
 * the flag steps toward {@code limit} (shed more, weigh less); at or below {@code off} it steps
 * back toward {@code rest}; in between it stays. One step is at most {@code step}, one per
 * tick. A step back waits until {@code hold} has passed since the last step toward the limit.
 * Every write carries an expiry of {@code forMillis}, renewed while the flag is held away from
 * rest, so a monitor that dies leaves nothing behind.
 */
record FollowProfile(String name, String fact, String flag, long on, long off, long rest, long limit, long step,
                     long holdMillis, long everyMillis, long forMillis) {

    /**
     * HAProxy's classic agent use: report less weight while the host's CPUs are busy, so the
     * balancer sends this server a smaller share. Never below 20 %: weight 0 would take the
     * server out, which is {@code drain}'s job, not a load monitor's.
     */
    static final FollowProfile WEIGHT = new FollowProfile("weight", "cpu_busy", "weight",
            80, 60, 100, 20, 10, 30_000, 2_000, 30_000);

    /**
     * Shed a share of requests with 503 while the backend's p99 latency is high, so queued work
     * drains, and stop once it has recovered. Never above 50 %: shedding everything is
     * {@code maint}'s job.
     */
    static final FollowProfile SHED = new FollowProfile("shed", "latency_p99_ms", "shed",
            500, 250, 0, 50, 10, 30_000, 1_000, 30_000);

    /** The daemon's monitor tick, at which the facts are published. */
    static final long MIN_EVERY_MILLIS = 100;

    static final List<FollowProfile> ALL = List.of(WEIGHT, SHED);

    /** The problem with these settings, or null when they are usable. */
    String problem() {
        if (off >= on) {
            return "--off " + off + " must be below --on " + on + " (the gap is the hysteresis)";
        }
        if (step <= 0) {
            return "--step " + step + " must be at least 1";
        }
        if (limit < 0 || limit > 100) {
            return "--limit " + limit + " is not a percentage (0-100), as " + flag + " is";
        }
        if (everyMillis < MIN_EVERY_MILLIS) {
            return "--every must be at least " + MIN_EVERY_MILLIS + "ms, the daemon's tick: facts change no faster";
        }
        if (limit == rest) {
            return "--limit " + limit + " equals the resting value " + rest + ": there is nothing to steer";
        }
        if (forMillis < 3 * everyMillis) {
            return "--for must be at least 3 times --every, so the expiry is renewed in time";
        }
        return null;
    }

    /** +1 when the flag rises toward its limit (shed), -1 when it falls (weight). */
    long pressDirection() {
        return Long.signum(limit - rest);
    }

    /** True when {@code value} lies between rest and limit, both included: the range the monitor owns. */
    boolean steers(long value) {
        return value >= Math.min(rest, limit) && value <= Math.max(rest, limit);
    }

    FollowProfile with(long on, long off, long limit, long step, long holdMillis, long everyMillis, long forMillis,
                       String fact) {
        return new FollowProfile(name, fact, flag, on, off, rest, limit, step, holdMillis, everyMillis, forMillis);
    }
}
