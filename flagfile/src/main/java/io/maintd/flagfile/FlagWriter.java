package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes to a flag file opened read-write. Value updates are lock-free atomics on the shared
 * mapping, so writers in different processes never lose an update. Defining and deleting a
 * slot is rare and takes the define lock: a POSIX record lock for other processes, plus a JVM
 * lock because the JDK refuses overlapping record locks inside one process.
 */
public final class FlagWriter {
    private static final ReentrantLock DEFINE_LOCK_IN_JVM = new ReentrantLock();

    private final FlagFile file;
    private final MappedByteBuffer buffer;
    private final FlagReader reader;

    FlagWriter(FlagFile file) {
        this.file = file;
        this.buffer = file.buffer();
        this.reader = file.reader();
    }

    public FlagReader reader() {
        return reader;
    }

    /** The outcome of {@link #define}: the handle, and whether this call made the slot. */
    public record Definition(FlagHandle handle, boolean created) {
    }

    /**
     * Returns the slot named {@code name}, creating it with {@code initial} if absent. Two
     * processes defining the same name at once end with one slot: the check and the claim
     * happen under the define lock.
     */
    public Definition define(String name, FlagKind kind, long initial) {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new FlagFileException(FlagFileException.Reason.INVALID_NAME, file.path(), problem);
        }
        return underDefineLock(() -> {
            Optional<FlagHandle> existing = reader.find(name);
            if (existing.isPresent()) {
                if (existing.get().kind() != kind) {
                    throw new FlagFileException(FlagFileException.Reason.KIND_MISMATCH, file.path(),
                            "\"" + name + "\" exists as a " + existing.get().kind().label() + ", not a " + kind.label());
                }
                return new Definition(existing.get(), false);
            }
            int offset = freeSlot(name);
            // Reserving first: a crash from here on leaves a slot the next definer may reuse
            // (it holds the define lock, so no one else can be mid-definition).
            FlagFile.INT.setRelease(buffer, offset + STATE_OFFSET, STATE_RESERVING);
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            byte[] padded = new byte[MAX_NAME_LENGTH + 1];
            System.arraycopy(bytes, 0, padded, 0, bytes.length);
            buffer.put(offset + NAME_OFFSET, padded);
            FlagFile.INT.set(buffer, offset + NAME_LENGTH_OFFSET, bytes.length);
            FlagFile.INT.set(buffer, offset + KIND_OFFSET, kind.code);
            FlagFile.LONG.set(buffer, offset + VALUE_OFFSET, initial);
            FlagFile.LONG.set(buffer, offset + EXPIRES_AT_OFFSET, 0L);
            FlagFile.LONG.set(buffer, offset + REVERT_VALUE_OFFSET, 0L);
            FlagFile.LONG.set(buffer, offset + CHANGE_COUNT_OFFSET, 0L);
            stampWriter(offset);
            // Publication point: a reader that acquires ACTIVE sees every field above.
            FlagFile.INT.setRelease(buffer, offset + STATE_OFFSET, STATE_ACTIVE);
            FlagFile.LONG.getAndAdd(buffer, CHANGE_SEQUENCE_OFFSET, 1L);
            return new Definition(new FlagHandle(buffer, offset, name, kind), true);
        });
    }

    /** Frees the slot; returns false when there was no such name. Old handles stop being live. */
    public boolean delete(String name) {
        return underDefineLock(() -> {
            Optional<FlagHandle> existing = reader.find(name);
            if (existing.isEmpty()) {
                return false;
            }
            int offset = existing.get().slotOffset();
            // Free first so no reader matches the name while the fields are being cleared.
            FlagFile.INT.setRelease(buffer, offset + STATE_OFFSET, STATE_FREE);
            FlagFile.INT.set(buffer, offset + NAME_LENGTH_OFFSET, 0);
            buffer.put(offset + NAME_OFFSET, new byte[MAX_NAME_LENGTH + 1]);
            FlagFile.LONG.getAndAdd(buffer, CHANGE_SEQUENCE_OFFSET, 1L);
            return true;
        });
    }

    /** Sets the value and cancels any pending expiry; returns the previous value. */
    public long set(FlagHandle flag, long value) {
        int offset = writableSlot(flag);
        // Cancel the expiry before the value moves, so the daemon never reverts this write.
        FlagFile.LONG.setRelease(buffer, offset + EXPIRES_AT_OFFSET, 0L);
        long old = (long) FlagFile.LONG.getAndSet(buffer, offset + VALUE_OFFSET, value);
        stamp(offset);
        return old;
    }

    /**
     * Sets the value until {@code expiresAtMillis}, after which the daemon puts the value from
     * before the window back. Returns the previous value. A timed set over a still-pending one
     * extends the window: it keeps the original revert value, so {@code --for 10m} followed by
     * {@code --for 20m} ends where the operator started, not stuck at the timed value. The
     * pending expiry is taken with an atomic swap, so it races the daemon's claim cleanly. The
     * revert value is written before the expiry that arms it (release).
     */
    public long setUntil(FlagHandle flag, long value, long expiresAtMillis) {
        int offset = writableSlot(flag);
        long pending = (long) FlagFile.LONG.getAndSet(buffer, offset + EXPIRES_AT_OFFSET, 0L);
        long old = (long) FlagFile.LONG.getAndSet(buffer, offset + VALUE_OFFSET, value);
        long revertTo = pending != 0 ? (long) FlagFile.LONG.get(buffer, offset + REVERT_VALUE_OFFSET) : old;
        FlagFile.LONG.set(buffer, offset + REVERT_VALUE_OFFSET, revertTo);
        FlagFile.LONG.setRelease(buffer, offset + EXPIRES_AT_OFFSET, expiresAtMillis);
        stamp(offset);
        return old;
    }

    /** Atomic compare-and-set across processes; false (and nothing written) when it lost. */
    public boolean compareAndSet(FlagHandle flag, long expected, long value) {
        int offset = writableSlot(flag);
        if (!FlagFile.LONG.compareAndSet(buffer, offset + VALUE_OFFSET, expected, value)) {
            return false;
        }
        stamp(offset);
        return true;
    }

    /** Atomic add across processes; returns the new value. Keeps a pending expiry. */
    public long addAndGet(FlagHandle flag, long delta) {
        int offset = writableSlot(flag);
        long result = (long) FlagFile.LONG.getAndAdd(buffer, offset + VALUE_OFFSET, delta) + delta;
        stamp(offset);
        return result;
    }

    /** A revert the expiry enforcement performed: the flag went from {@code from} to {@code to}. */
    public record Revert(FlagHandle flag, long from, long to) {
    }

    /**
     * Reverts the flag if its expiry has passed. The expiry word is claimed with a CAS, and
     * the value is swapped back with a CAS against what it held before the claim, so an
     * operator's {@code set} that lands meanwhile wins over the revert.
     */
    public Optional<Revert> revertIfExpired(FlagHandle flag, long nowMillis) {
        int offset = flag.slotOffset();
        long expiresAt = (long) FlagFile.LONG.getAcquire(buffer, offset + EXPIRES_AT_OFFSET);
        if (expiresAt == 0 || nowMillis < expiresAt) {
            return Optional.empty();
        }
        long current = (long) FlagFile.LONG.getAcquire(buffer, offset + VALUE_OFFSET);
        long revertTo = (long) FlagFile.LONG.get(buffer, offset + REVERT_VALUE_OFFSET);
        if (!FlagFile.LONG.compareAndSet(buffer, offset + EXPIRES_AT_OFFSET, expiresAt, 0L)) {
            return Optional.empty();
        }
        if (!FlagFile.LONG.compareAndSet(buffer, offset + VALUE_OFFSET, current, revertTo)) {
            return Optional.empty();
        }
        stamp(offset);
        return Optional.of(new Revert(flag, current, revertTo));
    }

    /**
     * Schedules {@code flag} to hold {@code value} from {@code startsAtMillis} until
     * {@code endsAtMillis}, replacing a window it already has (returned). The daemon starts it.
     *
     * @throws FlagFileException UNSUPPORTED_VERSION for a layout v1 file (no window table; upgrade it),
     *                           FULL when every window is in use, COUNTER_NOT_WRITABLE
     */
    public Optional<ScheduledWindow> schedule(FlagHandle flag, long value, long startsAtMillis, long endsAtMillis) {
        writableSlot(flag);
        if (endsAtMillis <= startsAtMillis || startsAtMillis <= 0) {
            throw new IllegalArgumentException("a window ends after it starts: " + startsAtMillis + ".." + endsAtMillis);
        }
        requireWindowTable();
        return underDefineLock(() -> {
            int index = WindowTable.indexOf(buffer, flag.name());
            Optional<ScheduledWindow> replaced = index < 0 ? Optional.empty() : Optional.ofNullable(WindowTable.at(buffer, index));
            if (index < 0) {
                index = WindowTable.freeIndex(buffer);
            }
            if (index < 0) {
                throw new FlagFileException(FlagFileException.Reason.FULL, file.path(), "all " + WINDOW_COUNT
                        + " windows are scheduled; cancel one first (flagctl cancel NAME)");
            }
            WindowTable.write(buffer, index, new ScheduledWindow(flag.name(), value, startsAtMillis, endsAtMillis));
            FlagFile.LONG.getAndAdd(buffer, CHANGE_SEQUENCE_OFFSET, 1L);
            return replaced;
        });
    }

    /** Drops {@code name}'s scheduled window; returns it, or empty when it had none. */
    public Optional<ScheduledWindow> cancelWindow(String name) {
        if (file.layoutVersion() < LAYOUT_VERSION) {
            return Optional.empty();
        }
        return underDefineLock(() -> {
            int index = WindowTable.indexOf(buffer, name);
            if (index < 0) {
                return Optional.empty();
            }
            Optional<ScheduledWindow> cancelled = Optional.ofNullable(WindowTable.at(buffer, index));
            WindowTable.free(buffer, index);
            FlagFile.LONG.getAndAdd(buffer, CHANGE_SEQUENCE_OFFSET, 1L);
            return cancelled;
        });
    }

    /** What became of a due window: started (the flag's previous value is {@code from}), or dropped and why. */
    public record WindowOutcome(ScheduledWindow window, boolean started, long from, String dropped) {
    }

    /**
     * The daemon's duty at each tick: starts every window due at {@code nowMillis} as a timed set
     * until its end ({@link #setUntil}), and drops one whose end has passed too (the host was down
     * through it: it never enters it) or whose flag is gone. Only when one is due does it take the
     * define lock, and then without waiting: when another process holds it, the windows start at
     * the next tick.
     */
    public List<WindowOutcome> startDueWindows(long nowMillis) {
        if (file.layoutVersion() < LAYOUT_VERSION
                || WindowTable.list(buffer).stream().noneMatch(w -> w.due(nowMillis))) {
            return List.of();
        }
        return tryUnderDefineLock(() -> {
            List<WindowOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < WINDOW_COUNT; i++) {
                ScheduledWindow w = WindowTable.at(buffer, i);
                if (w == null || !w.due(nowMillis)) {
                    continue;
                }
                Optional<FlagHandle> flag = reader.find(w.flag());
                if (w.endsAtMillis() <= nowMillis) {
                    outcomes.add(new WindowOutcome(w, false, 0, "it ended before it could start (no daemon ran)"));
                } else if (flag.isEmpty() || flag.get().kind() != FlagKind.FLAG) {
                    outcomes.add(new WindowOutcome(w, false, 0, "there is no operator flag \"" + w.flag() + "\" any more"));
                } else {
                    outcomes.add(new WindowOutcome(w, true, setUntil(flag.get(), w.value(), w.endsAtMillis()), null));
                }
                WindowTable.free(buffer, i);
                FlagFile.LONG.getAndAdd(buffer, CHANGE_SEQUENCE_OFFSET, 1L);
            }
            return outcomes;
        }, List.of());
    }

    /**
     * Raises a layout v1 file to v2 in place: the window table is v1's zeroed header space, so
     * only the version changes, and every slot, value and expiry stays where it is. Under the
     * define lock. Returns false when the file is v2 already.
     *
     * @throws FlagFileException CORRUPT when the table's bytes are not all zero (not a v1 file as written)
     */
    public boolean upgradeLayout() {
        return underDefineLock(() -> {
            if (file.layoutVersion() >= LAYOUT_VERSION) {
                return false;
            }
            if (!WindowTable.empty(buffer)) {
                throw new FlagFileException(FlagFileException.Reason.CORRUPT, file.path(), "bytes " + WINDOW_TABLE_OFFSET
                        + ".." + (HEADER_LENGTH - 1) + " should be zero in a layout v1 file; not upgrading it");
            }
            FlagFile.LONG.setRelease(buffer, MAGIC_OFFSET, magicAndVersion(LAYOUT_VERSION));
            buffer.force();
            FlagFile.LONG.getAndAdd(buffer, CHANGE_SEQUENCE_OFFSET, 1L);
            return true;
        });
    }

    private void requireWindowTable() {
        if (file.layoutVersion() < LAYOUT_VERSION) {
            throw new FlagFileException(FlagFileException.Reason.UNSUPPORTED_VERSION, file.path(),
                    "is layout v" + file.layoutVersion() + ", which has no room for scheduled windows;"
                            + " upgrade it in place with: flagctl init --upgrade");
        }
    }

    /**
     * Claims the file for this daemon process. Throws {@link FlagFileException.Reason#DAEMON_RUNNING}
     * naming the holder's pid when another daemon has it.
     */
    public DaemonLock lockForDaemon() {
        return DaemonLock.acquire(file, this);
    }

    /** Counter publication: only the daemon calls this, through {@link DaemonLock#publish}. */
    void publish(FlagHandle counter, long value) {
        int offset = counter.slotOffset();
        long old = (long) FlagFile.LONG.getAndSet(buffer, offset + VALUE_OFFSET, value);
        if (old != value) {
            stamp(offset);
        }
    }

    private int writableSlot(FlagHandle flag) {
        if (!flag.belongsTo(buffer)) {
            throw new IllegalArgumentException(flag + " belongs to another flag file than " + file.path());
        }
        if (flag.kind() == FlagKind.COUNTER) {
            throw new FlagFileException(FlagFileException.Reason.COUNTER_NOT_WRITABLE, file.path(),
                    "\"" + flag.name() + "\" is a counter published by the maintd daemon; it cannot be set by hand");
        }
        return flag.slotOffset();
    }

    /** After a value write: who and when, then the slot's count, then the file's sequence. */
    private void stamp(int offset) {
        stampWriter(offset);
        FlagFile.LONG.getAndAdd(buffer, offset + CHANGE_COUNT_OFFSET, 1L);
        FlagFile.LONG.getAndAdd(buffer, CHANGE_SEQUENCE_OFFSET, 1L);
    }

    private void stampWriter(int offset) {
        FlagFile.LONG.setOpaque(buffer, offset + UPDATED_AT_OFFSET, System.currentTimeMillis());
        FlagFile.INT.setOpaque(buffer, offset + WRITER_PID_OFFSET, WriterIdentity.PID);
        FlagFile.INT.setOpaque(buffer, offset + WRITER_UID_OFFSET, WriterIdentity.UID);
    }

    private int freeSlot(String name) {
        for (int i = 0; i < file.slotCount(); i++) {
            int offset = slotOffset(i);
            if ((int) FlagFile.INT.getAcquire(buffer, offset + STATE_OFFSET) != STATE_ACTIVE) {
                return offset;
            }
        }
        throw new FlagFileException(FlagFileException.Reason.FULL, file.path(),
                "no free slot for \"" + name + "\": all " + file.slotCount()
                        + " are in use (delete a flag, or recreate the file with a larger --capacity)");
    }

    private interface Locked<T> {
        T run();
    }

    /** {@code body} under the define lock if it is free now, else {@code busy}; never waits. */
    private <T> T tryUnderDefineLock(Locked<T> body, T busy) {
        if (!DEFINE_LOCK_IN_JVM.tryLock()) {
            return busy;
        }
        try (FileLock lock = file.channel().tryLock(DEFINE_LOCK_OFFSET, 1, false)) {
            return lock == null ? busy : body.run();
        } catch (IOException e) {
            throw new FlagFileException(FlagFileException.Reason.IO, file.path(), "cannot take the define lock: " + e, e);
        } finally {
            DEFINE_LOCK_IN_JVM.unlock();
        }
    }

    private <T> T underDefineLock(Locked<T> body) {
        DEFINE_LOCK_IN_JVM.lock();
        try (FileLock ignored = file.channel().lock(DEFINE_LOCK_OFFSET, 1, false)) {
            return body.run();
        } catch (IOException e) {
            throw new FlagFileException(FlagFileException.Reason.IO, file.path(), "cannot take the define lock: " + e, e);
        } finally {
            DEFINE_LOCK_IN_JVM.unlock();
        }
    }
}
