package io.maintd.monitor;

import io.maintd.flagfile.DaemonLock;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.flagfile.FlagWriter;
import io.maintd.notice.NoticeTracker;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The daemon's standing duties toward the flag file, done on one thread every
 * {@link #TICK_MILLIS}: heartbeat, publish the live counters and whether the balancers noticed
 * the mode, revert expired {@code --for} values, and report flips. Each tick is a few loads when
 * nothing changed.
 */
public final class FlagMonitor {
    /** Counters must be at most this stale for {@code flagctl wait inflight}; expiries late by at most this. */
    public static final long TICK_MILLIS = 100;

    /** Where the live counters come from; read on the monitor thread. */
    public record LiveCounters(LongSupplier connections, LongSupplier inflight, LongSupplier requests) {
    }

    private final FlagWriter writer;
    private final DaemonLock lock;
    private final StandardFlags flags;
    private final LiveCounters live;
    private final FlipDetector flips;
    private final NoticeTracker notice;
    private volatile NoticeTracker.Notice lastNotice;

    public FlagMonitor(FlagWriter writer, DaemonLock lock, StandardFlags flags, LiveCounters live, NoticeTracker notice,
                       FlipListener listener) {
        this.writer = writer;
        this.lock = lock;
        this.flags = flags;
        this.live = live;
        this.notice = notice;
        this.flips = new FlipDetector(writer.reader(), listener);
    }

    /** What the last tick found about the balancers (null before the first tick), for {@code /status}. */
    public NoticeTracker.Notice lastNotice() {
        return lastNotice;
    }

    /** One round of duties at wall-clock {@code nowMillis}. */
    public void tick(long nowMillis) {
        lock.heartbeat();
        lock.publish(flags.conns, live.connections().getAsLong());
        lock.publish(flags.inflight, live.inflight().getAsLong());
        lock.publish(flags.requests, live.requests().getAsLong());
        publish(notice.evaluate(nowMillis));
        flips.poll(revertExpired(nowMillis));
    }

    /**
     * {@code noticed} before {@code mode}: a reader that loads {@code mode}, then {@code noticed},
     * then {@code mode} again and sees the same mode twice knows the {@code noticed} it read is
     * about that mode (a change of mode resets {@code noticed} before it publishes the new mode).
     */
    private void publish(NoticeTracker.Notice now) {
        lock.publish(flags.noticed, now.state());
        lock.publish(flags.mode, now.modeCode());
        lock.publish(flags.balancers, now.peers().size());
        lastNotice = now;
    }

    private Set<String> revertExpired(long nowMillis) {
        Set<String> reverted = Set.of();
        for (FlagSnapshot s : writer.reader().list()) {
            if (!s.expires() || s.expiresAtMillis() > nowMillis) {
                continue;
            }
            var handle = writer.reader().find(s.name());
            if (handle.isPresent() && writer.revertIfExpired(handle.get(), nowMillis).isPresent()) {
                if (reverted.isEmpty()) {
                    reverted = new HashSet<>();
                }
                reverted.add(s.name());
            }
        }
        return reverted;
    }
}
