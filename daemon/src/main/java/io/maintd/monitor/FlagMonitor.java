package io.maintd.monitor;

import io.maintd.flagfile.AuditLog;
import io.maintd.flagfile.DaemonLock;
import io.maintd.flagfile.FlagFileException;
import io.maintd.flagfile.FlagFileKeeper;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.flagfile.FlagWriter;
import io.maintd.flagfile.IsoTime;
import io.maintd.flagfile.ScheduledWindow;
import io.maintd.flagfile.StandardFlags;
import io.maintd.notice.NoticeTracker;
import io.maintd.page.MaintenanceSchedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;

/**
 * The daemon's standing duties toward the flag file, done on one thread every
 * {@link #TICK_MILLIS}: check the file before touching its mapping (a truncated file is served
 * from memory and written back, a deleted or replaced one reported: {@link FlagFileKeeper}),
 * heartbeat, re-bind every flag handle the daemon holds (so rules, health, agent and STATUS
 * follow a flag deleted and created again), publish the traffic counters and the load facts
 * (defining a deleted counter again) and whether the balancers noticed the mode, revert expired
 * {@code --for} values, start scheduled windows that are due, note the {@code maint} flag's
 * windows for the proxy, report flips, and save a copy of the file when it changed. Each tick is
 * two syscalls (fstat, stat), two reads under /proc for the host's load, and a few loads when
 * nothing changed.
 *
 * <p>The counters this thread writes move the change sequence on most ticks (the load facts
 * follow the host's CPU even when no request comes), but they are neither flips nor anything a
 * saved copy must hold: a restored file gets them again on the next tick. So listing every slot
 * for flips and copying the file are done only when something else moved the sequence: a tick
 * counts the moves its own counter writes made ({@link DaemonLock.Publication#CHANGED}, one
 * each) and compares them with how far the sequence moved since the last tick. Every other
 * writer (flagctl, the daemon's reverts, a define, a counter another thread publishes) makes the
 * two differ. A copy restored after a truncation may therefore hold counters as old as the last
 * such change, until the tick that restores it writes them again.
 */
public final class FlagMonitor {
    private static final System.Logger LOG = System.getLogger(FlagMonitor.class.getName());

    /** Counters must be at most this stale for {@code flagctl wait inflight}; expiries late by at most this. */
    public static final long TICK_MILLIS = 100;

    /** Where the counters the monitor publishes come from (the proxy's traffic); read on the monitor thread. */
    public record CounterSources(LongSupplier connections, LongSupplier inflight, LongSupplier requests) {
    }

    private final FlagFileKeeper keeper;
    private final FlagWriter writer;
    private final DaemonLock lock;
    private final StandardFlags flags;
    private final CounterSources sources;
    private final FlipDetector flips;
    private final LoadFacts facts;
    private final NoticeTracker notice;
    /** Counters other parts count and this thread writes ({@link #publishAlso}). */
    private final List<Consumer<ObjLongConsumer<FlagHandle>>> otherCounters = new CopyOnWriteArrayList<>();
    /** Counters that could not be defined again, reported once until they can. */
    private final Set<String> unpublishable = new HashSet<>();
    private volatile NoticeTracker.Notice lastNotice;
    private volatile MaintenanceSchedule schedule = MaintenanceSchedule.NONE;
    /** The first tick's time: a window that started before it had no daemon to start it. Monitor thread only. */
    private long firstTickMillis = -1;
    /** The change sequence at the end of the last tick. Monitor thread only. */
    private long lastSequence;
    /** How far this tick's own counter writes moved the change sequence so far. Monitor thread only. */
    private long ownCounterMoves;

    public FlagMonitor(FlagFileKeeper keeper, FlagWriter writer, DaemonLock lock, StandardFlags flags, CounterSources sources,
                       LoadFacts facts, NoticeTracker notice,
                       FlipListener listener) {
        this.keeper = keeper;
        this.writer = writer;
        this.lock = lock;
        this.flags = flags;
        this.sources = sources;
        this.facts = facts;
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
        boolean firstTick = firstTickMillis < 0;
        if (firstTick) {
            firstTickMillis = nowMillis;
        }
        FlagFileKeeper.Event event = keeper.check(nowMillis);
        if (event != null) {
            LOG.log(event.error() ? System.Logger.Level.ERROR : System.Logger.Level.WARNING, event.message());
        }
        lock.heartbeat();
        writer.reader().refreshHandles();
        publish(flags.conns, sources.connections().getAsLong());
        publish(flags.inflight, sources.inflight().getAsLong());
        publish(flags.requests, sources.requests().getAsLong());
        facts.publish(System.nanoTime(), this::publish);
        otherCounters.forEach(counters -> counters.accept(this::publish));
        publish(notice.evaluate(nowMillis));
        Set<String> reverted = revertExpired(nowMillis);
        startWindows(nowMillis);
        schedule = maintSchedule();
        long sequence = writer.reader().changeSequence();
        boolean othersWrote = firstTick || sequence - lastSequence != ownCounterMoves;
        lastSequence = sequence;
        ownCounterMoves = 0;
        if (othersWrote) {
            flips.poll(reverted);
            keeper.save(nowMillis);
        }
    }

    /**
     * {@code noticed} before {@code mode}: a reader that loads {@code mode}, then {@code noticed},
     * then {@code mode} again and sees the same mode twice knows the {@code noticed} it read is
     * about that mode (a change of mode resets {@code noticed} before it publishes the new mode).
     */
    private void publish(NoticeTracker.Notice now) {
        publish(flags.noticed, now.state());
        publish(flags.mode, now.modeCode());
        publish(flags.balancers, now.peers().size());
        lastNotice = now;
    }

    /**
     * Scheduled windows that are due begin now (or are dropped when they ended while no daemon
     * ran), each logged and recorded in the audit log as {@code op=start}.
     */
    private void startWindows(long nowMillis) {
        List<FlagWriter.WindowOutcome> started = new ArrayList<>();
        for (FlagWriter.WindowOutcome outcome : writer.startDueWindows(nowMillis)) {
            ScheduledWindow w = outcome.window();
            String window = w.flag() + " " + w.value() + " from " + Instant.ofEpochMilli(w.startsAtMillis()) + " until "
                    + Instant.ofEpochMilli(w.endsAtMillis());
            if (outcome.started()) {
                started.add(outcome);
                LOG.log(System.Logger.Level.INFO, "window started: " + window + " (" + w.flag() + " was " + outcome.from()
                        + (w.startsAtMillis() < firstTickMillis
                                ? "; " + (nowMillis - w.startsAtMillis()) + " ms late: no daemon ran at its start" : "")
                        + ")");
            } else {
                LOG.log(System.Logger.Level.WARNING, "window dropped: " + window + ": " + outcome.dropped());
            }
        }
        if (!started.isEmpty()) {
            audit("started " + started.size() + " scheduled window(s)", log -> started.forEach(o -> log.append(System.getenv(),
                    "start", o.window().flag(), Long.toString(o.from()), Long.toString(o.window().value()),
                    o.window().endsAtMillis(), "scheduled window", "at", IsoTime.format(o.window().startsAtMillis()))));
        }
    }

    /** The {@code maint} flag's window ahead and the one it is in (on, with an expiry). */
    private MaintenanceSchedule maintSchedule() {
        Optional<ScheduledWindow> next = writer.reader().window(StandardFlags.MAINT);
        Optional<FlagSnapshot> now = writer.reader().snapshot(flags.maint);
        boolean active = now.isPresent() && now.get().value() > 0 && now.get().expires();
        if (next.isEmpty() && !active) {
            return MaintenanceSchedule.NONE;
        }
        return new MaintenanceSchedule(next.map(ScheduledWindow::startsAtMillis).orElse(0L),
                next.map(ScheduledWindow::endsAtMillis).orElse(0L),
                active ? now.get().updatedAtMillis() : 0, active ? now.get().expiresAtMillis() : 0);
    }

    /**
     * Counters another part keeps (the health checks' {@code backends_up}, {@code servers_up.NAME})
     * are written on every tick through {@code counters}, like the monitor's own: after the file
     * was checked, and defined again if someone deleted them.
     */
    public void publishAlso(Consumer<ObjLongConsumer<FlagHandle>> counters) {
        otherCounters.add(counters);
    }

    /**
     * Publishes a counter, defining it again first when someone deleted it: {@code flagctl wait
     * inflight} must keep working. A name taken by an operator flag meanwhile is reported once.
     */
    private void publish(FlagHandle counter, long value) {
        if (counter.kind() == FlagKind.COUNTER && published(lock.publish(counter, value))) {
            unpublishable.remove(counter.name());
            return;
        }
        try {
            // The define moves the change sequence uncounted: the next flip poll sees it.
            writer.define(counter.name(), FlagKind.COUNTER, value);
            published(lock.publish(counter, value));
            unpublishable.remove(counter.name());
        } catch (FlagFileException e) {
            if (unpublishable.add(counter.name())) {
                LOG.log(System.Logger.Level.WARNING, "counter " + counter.name() + " is not published: " + e.getMessage());
            }
        }
    }

    /** Counts a move of the change sequence this thread made; true unless the counter was deleted. */
    private boolean published(DaemonLock.Publication publication) {
        if (publication == DaemonLock.Publication.CHANGED) {
            ownCounterMoves++;
        }
        return publication != DaemonLock.Publication.DELETED;
    }

    /** Reverts every expired {@code --for}, records each in the audit log, and returns their names. */
    private Set<String> revertExpired(long nowMillis) {
        List<FlagWriter.Revert> reverts = new ArrayList<>();
        for (FlagSnapshot s : writer.reader().list()) {
            if (!s.expires() || s.expiresAtMillis() > nowMillis) {
                continue;
            }
            writer.reader().find(s.name()).flatMap(handle -> writer.revertIfExpired(handle, nowMillis)).ifPresent(reverts::add);
        }
        if (reverts.isEmpty()) {
            return Set.of();
        }
        audit("reverted " + reverts.size() + " expired flag(s)", log -> reverts.forEach(r -> log.append(System.getenv(),
                "revert", r.flag().name(), Long.toString(r.from()), Long.toString(r.to()), 0, "--for expired")));
        Set<String> names = new HashSet<>();
        reverts.forEach(r -> names.add(r.flag().name()));
        return names;
    }

    /** Lines in the audit log, one per change, with the daemon as the writer, as flagctl writes them. */
    private void audit(String done, Consumer<AuditLog> lines) {
        try (AuditLog log = AuditLog.open(writer.reader().path())) {
            lines.accept(log);
        } catch (FlagFileException e) {
            LOG.log(System.Logger.Level.WARNING, done + ", but the audit log does not say so: " + e.getMessage());
        }
    }
}
