package io.maintd.monitor;

import io.maintd.flagfile.AuditLog;
import io.maintd.flagfile.DaemonLock;
import io.maintd.flagfile.FlagFileException;
import io.maintd.flagfile.FlagFileKeeper;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.flagfile.FlagWriter;
import io.maintd.flagfile.StandardFlags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The daemon's standing duties toward the flag file, done on one thread every
 * {@link #TICK_MILLIS}: check the file before touching its mapping (a truncated file is served
 * from memory and written back, a deleted or replaced one reported: {@link FlagFileKeeper}),
 * heartbeat, re-bind every flag handle the daemon holds (so rules, health, agent and STATUS
 * follow a flag deleted and created again), publish the traffic counters (defining a deleted
 * counter again), revert expired {@code --for} values, report flips, and save a copy of the
 * file when it changed. Each tick is two syscalls (fstat, stat) and a few loads when nothing
 * changed.
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
    /** Counters that could not be defined again, reported once until they can. */
    private final Set<String> unpublishable = new HashSet<>();

    public FlagMonitor(FlagFileKeeper keeper, FlagWriter writer, DaemonLock lock, StandardFlags flags, CounterSources sources,
                       FlipListener listener) {
        this.keeper = keeper;
        this.writer = writer;
        this.lock = lock;
        this.flags = flags;
        this.sources = sources;
        this.flips = new FlipDetector(writer.reader(), listener);
    }

    /** One round of duties at wall-clock {@code nowMillis}. */
    public void tick(long nowMillis) {
        FlagFileKeeper.Event event = keeper.check(nowMillis);
        if (event != null) {
            LOG.log(event.error() ? System.Logger.Level.ERROR : System.Logger.Level.WARNING, event.message());
        }
        lock.heartbeat();
        writer.reader().refreshHandles();
        publish(flags.conns, sources.connections().getAsLong());
        publish(flags.inflight, sources.inflight().getAsLong());
        publish(flags.requests, sources.requests().getAsLong());
        flips.poll(revertExpired(nowMillis));
        keeper.save(nowMillis);
    }

    /**
     * Publishes a counter, defining it again first when someone deleted it: {@code flagctl wait
     * inflight} must keep working. A name taken by an operator flag meanwhile is reported once.
     */
    private void publish(FlagHandle counter, long value) {
        if (counter.kind() == FlagKind.COUNTER && lock.publish(counter, value)) {
            unpublishable.remove(counter.name());
            return;
        }
        try {
            writer.define(counter.name(), FlagKind.COUNTER, value);
            lock.publish(counter, value);
            unpublishable.remove(counter.name());
        } catch (FlagFileException e) {
            if (unpublishable.add(counter.name())) {
                LOG.log(System.Logger.Level.WARNING, "counter " + counter.name() + " is not published: " + e.getMessage());
            }
        }
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
        audit(reverts);
        Set<String> names = new HashSet<>();
        reverts.forEach(r -> names.add(r.flag().name()));
        return names;
    }

    /** One audit line per revert, as flagctl writes one per change, with the daemon as the writer. */
    private void audit(List<FlagWriter.Revert> reverts) {
        try (AuditLog log = AuditLog.open(writer.reader().path())) {
            for (FlagWriter.Revert r : reverts) {
                log.append(System.getenv(), "revert", r.flag().name(), Long.toString(r.from()), Long.toString(r.to()), 0,
                        "--for expired");
            }
        } catch (FlagFileException e) {
            LOG.log(System.Logger.Level.WARNING, "reverted " + reverts.size() + " expired flag(s), but the audit log "
                    + "does not say so: " + e.getMessage());
        }
    }
}
