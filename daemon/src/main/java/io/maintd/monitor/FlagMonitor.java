package io.maintd.monitor;

import io.maintd.flagfile.DaemonLock;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.flagfile.FlagWriter;
import io.maintd.flagfile.ScheduledWindow;
import io.maintd.notice.NoticeTracker;
import io.maintd.page.MaintenanceSchedule;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The daemon's standing duties toward the flag file, done on one thread every
 * {@link #TICK_MILLIS}: heartbeat, publish the live counters and whether the balancers noticed
 * the mode, revert expired {@code --for} values, start scheduled windows that are due, note the
 * {@code maint} flag's windows for the proxy, and report flips. Each tick is a few loads when
 * nothing changed.
 */
public final class FlagMonitor {
    private static final System.Logger LOG = System.getLogger(FlagMonitor.class.getName());
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
    private volatile MaintenanceSchedule schedule = MaintenanceSchedule.NONE;
    /** The first tick's time: a window that started before it had no daemon to start it. Monitor thread only. */
    private long firstTickMillis = -1;

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

    /** The maint flag's current and next window as the last tick saw them, for the proxy. */
    public MaintenanceSchedule schedule() {
        return schedule;
    }

    /** One round of duties at wall-clock {@code nowMillis}. */
    public void tick(long nowMillis) {
        if (firstTickMillis < 0) {
            firstTickMillis = nowMillis;
        }
        lock.heartbeat();
        lock.publish(flags.conns, live.connections().getAsLong());
        lock.publish(flags.inflight, live.inflight().getAsLong());
        lock.publish(flags.requests, live.requests().getAsLong());
        publish(notice.evaluate(nowMillis));
        Set<String> reverted = revertExpired(nowMillis);
        startWindows(nowMillis);
        schedule = maintSchedule();
        flips.poll(reverted);
    }

    /** Scheduled windows that are due begin now (or are dropped when they ended while no daemon ran). */
    private void startWindows(long nowMillis) {
        for (FlagWriter.WindowOutcome outcome : writer.startDueWindows(nowMillis)) {
            ScheduledWindow w = outcome.window();
            String window = w.flag() + " " + w.value() + " from " + Instant.ofEpochMilli(w.startsAtMillis()) + " until "
                    + Instant.ofEpochMilli(w.endsAtMillis());
            if (outcome.started()) {
                LOG.log(System.Logger.Level.INFO, "window started: " + window + " (" + w.flag() + " was " + outcome.from()
                        + (w.startsAtMillis() < firstTickMillis
                                ? "; " + (nowMillis - w.startsAtMillis()) + " ms late: no daemon ran at its start" : "")
                        + ")");
            } else {
                LOG.log(System.Logger.Level.WARNING, "window dropped: " + window + ": " + outcome.dropped());
            }
        }
    }

    /** The {@code maint} flag's window ahead and the one it is in (on, with an expiry). */
    private MaintenanceSchedule maintSchedule() {
        Optional<ScheduledWindow> next = writer.reader().window(StandardFlags.MAINT);
        Optional<FlagSnapshot> now = flags.maint.isLive() ? writer.reader().snapshot(flags.maint) : Optional.empty();
        boolean active = now.isPresent() && now.get().value() > 0 && now.get().expires();
        if (next.isEmpty() && !active) {
            return MaintenanceSchedule.NONE;
        }
        return new MaintenanceSchedule(next.map(ScheduledWindow::startsAtMillis).orElse(0L),
                next.map(ScheduledWindow::endsAtMillis).orElse(0L),
                active ? now.get().updatedAtMillis() : 0, active ? now.get().expiresAtMillis() : 0);
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
