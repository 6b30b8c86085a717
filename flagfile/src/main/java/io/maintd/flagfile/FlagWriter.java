package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes to a flag file opened read-write. Value updates are lock-free atomics on the shared
 * mapping, so writers in different processes never lose an update. Defining and deleting a
 * slot is rare and takes the define lock: a POSIX record lock for other processes, plus a JVM
 * lock because the JDK refuses overlapping record locks inside one process.
 *
 * <p>Every value write first checks that the handle's flag still exists (its slot's
 * registration, see {@link FlagFileLayout}); a write through the handle of a deleted flag is
 * refused with {@link FlagFileException.Reason#UNKNOWN_FLAG} and writes nothing.
 */
public final class FlagWriter {
    private static final ReentrantLock DEFINE_LOCK_IN_JVM = new ReentrantLock();

    private final FlagFile file;
    private final FlagReader reader;
    private final long freeToReuseMillis;

    FlagWriter(FlagFile file, long freeToReuseMillis) {
        this.file = file;
        this.reader = file.reader();
        this.freeToReuseMillis = freeToReuseMillis;
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
     * happen under the define lock. When the only free slots were freed less than
     * {@link FlagFileLayout#FREE_TO_REUSE_MILLIS} ago, this waits for the first of them.
     */
    public Definition define(String name, FlagKind kind, long initial) {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new FlagFileException(FlagFileException.Reason.INVALID_NAME, file.path(), problem);
        }
        while (true) {
            long now = System.currentTimeMillis();
            Attempt attempt = underDefineLock(() -> defineLocked(name, kind, initial, now));
            if (attempt.done() != null) {
                return attempt.done();
            }
            // Outside the lock: other definers and deleters go on meanwhile.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(1, attempt.retryAtMillis() - now)));
            if (Thread.currentThread().isInterrupted()) {
                throw new FlagFileException(FlagFileException.Reason.FULL, file.path(), "no free slot for \"" + name
                        + "\": the only free ones were freed less than " + FREE_TO_REUSE_MILLIS + " ms ago, and the wait was interrupted");
            }
        }
    }

    /** A define either done, or to retry at the epoch ms when a recently freed slot may be reused. */
    private record Attempt(Definition done, long retryAtMillis) {
    }

    private Attempt defineLocked(String name, FlagKind kind, long initial, long now) {
        FlagBuffer buffer = file.buffer();
        SlotDefinition existing = SlotDefinition.find(buffer, file.slotCount(), name);
        if (existing != null) {
            if (existing.kind() != kind) {
                throw new FlagFileException(FlagFileException.Reason.KIND_MISMATCH, file.path(),
                        "\"" + name + "\" exists as a " + existing.kind().label() + ", not a " + kind.label());
            }
            return new Attempt(new Definition(file.handles().bind(existing), false), 0);
        }
        SlotVacancy vacancy = SlotVacancy.find(buffer, file.slotCount(), now, freeToReuseMillis);
        if (vacancy.slotOffset() < 0) {
            if (vacancy.reusableAtMillis() == Long.MAX_VALUE) {
                throw new FlagFileException(FlagFileException.Reason.FULL, file.path(),
                        "no free slot for \"" + name + "\": all " + file.slotCount()
                                + " are in use (delete a flag, or recreate the file with a larger --capacity)");
            }
            return new Attempt(null, vacancy.reusableAtMillis());
        }
        int offset = vacancy.slotOffset();
        // Reserving first: a crash from here on leaves a slot the next definer may reuse
        // (it holds the define lock, so no one else can be mid-definition).
        buffer.putIntRelease(offset + STATE_OFFSET, STATE_RESERVING);
        // A new definition: every handle to an earlier one (even one whose delete did not count)
        // stops matching before any field below changes.
        int registration = buffer.getAndAddInt(offset + REGISTRATION_OFFSET, 1) + 1;
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        byte[] padded = new byte[MAX_NAME_LENGTH + 1];
        System.arraycopy(bytes, 0, padded, 0, bytes.length);
        buffer.putBytes(offset + NAME_OFFSET, padded);
        buffer.putInt(offset + NAME_LENGTH_OFFSET, bytes.length);
        buffer.putInt(offset + KIND_OFFSET, kind.code);
        buffer.putLong(offset + EXPIRES_AT_OFFSET, 0L);
        buffer.putLong(offset + REVERT_VALUE_OFFSET, 0L);
        buffer.putLong(offset + CHANGE_COUNT_OFFSET, 0L);
        stampWriter(buffer, offset);
        // Release, after the registration: a stale handle whose acquire load returns this value
        // is guaranteed to see the new registration, and reads "absent" instead.
        buffer.putLongRelease(offset + VALUE_OFFSET, initial);
        // Publication point: a reader that acquires ACTIVE sees every field above.
        buffer.putIntRelease(offset + STATE_OFFSET, STATE_ACTIVE);
        buffer.getAndAddLong(CHANGE_SEQUENCE_OFFSET, 1L);
        return new Attempt(new Definition(file.handles().bind(new SlotDefinition(offset, name, kind, registration)), true), 0);
    }

    /**
     * Frees the slot; returns false when there was no such name. Every handle of the flag reads
     * "absent" from the registration increment on, which comes before anything else changes.
     */
    public boolean delete(String name) {
        return underDefineLock(() -> {
            FlagBuffer buffer = file.buffer();
            SlotDefinition existing = SlotDefinition.find(buffer, file.slotCount(), name);
            if (existing == null) {
                return false;
            }
            int offset = existing.slotOffset();
            buffer.getAndAddInt(offset + REGISTRATION_OFFSET, 1);
            // Free before clearing, so no resolver matches the name while it is being cleared.
            buffer.putIntRelease(offset + STATE_OFFSET, STATE_FREE);
            // Updated-at of a free slot is when it was freed: reuse waits FREE_TO_REUSE_MILLIS from it.
            stampWriter(buffer, offset);
            buffer.putInt(offset + NAME_LENGTH_OFFSET, 0);
            buffer.putBytes(offset + NAME_OFFSET, new byte[MAX_NAME_LENGTH + 1]);
            buffer.getAndAddLong(CHANGE_SEQUENCE_OFFSET, 1L);
            return true;
        });
    }

    /** Sets the value and cancels any pending expiry; returns the previous value. */
    public long set(FlagHandle flag, long value) {
        FlagHandle.Binding slot = writableSlot(flag);
        FlagBuffer buffer = slot.buffer();
        int offset = slot.slotOffset();
        // Cancel the expiry before the value moves, so the daemon never reverts this write.
        buffer.putLongRelease(offset + EXPIRES_AT_OFFSET, 0L);
        long old = buffer.getAndSetLong(offset + VALUE_OFFSET, value);
        stamp(buffer, offset);
        return old;
    }

    /** What a timed set replaced, and what the value becomes when its window ends. */
    public record TimedSet(long previous, long revertsTo) {
    }

    /**
     * Sets the value until {@code expiresAtMillis}, after which the daemon puts the value from
     * before the window back. Returns the value it replaced and the one it reverts to. A timed set over a still-pending one extends the window: it keeps
     * the original revert value, so {@code --for 10m} followed by {@code --for 20m} ends where
     * the operator started, not stuck at the timed value. The pending expiry is taken with an
     * atomic swap, so it races the daemon's claim cleanly. The revert value is written before
     * the expiry that arms it (release).
     */
    public TimedSet setUntil(FlagHandle flag, long value, long expiresAtMillis) {
        FlagHandle.Binding slot = writableSlot(flag);
        FlagBuffer buffer = slot.buffer();
        int offset = slot.slotOffset();
        long pending = buffer.getAndSetLong(offset + EXPIRES_AT_OFFSET, 0L);
        long old = buffer.getAndSetLong(offset + VALUE_OFFSET, value);
        long revertTo = pending != 0 ? buffer.getLong(offset + REVERT_VALUE_OFFSET) : old;
        buffer.putLong(offset + REVERT_VALUE_OFFSET, revertTo);
        buffer.putLongRelease(offset + EXPIRES_AT_OFFSET, expiresAtMillis);
        stamp(buffer, offset);
        return new TimedSet(old, revertTo);
    }

    /** Atomic compare-and-set across processes; false (and nothing written) when it lost. */
    public boolean compareAndSet(FlagHandle flag, long expected, long value) {
        FlagHandle.Binding slot = writableSlot(flag);
        FlagBuffer buffer = slot.buffer();
        int offset = slot.slotOffset();
        if (!buffer.compareAndSetLong(offset + VALUE_OFFSET, expected, value)) {
            return false;
        }
        stamp(buffer, offset);
        return true;
    }

    /** Atomic add across processes; returns the new value. Keeps a pending expiry. */
    public long addAndGet(FlagHandle flag, long delta) {
        FlagHandle.Binding slot = writableSlot(flag);
        FlagBuffer buffer = slot.buffer();
        int offset = slot.slotOffset();
        long result = buffer.getAndAddLong(offset + VALUE_OFFSET, delta) + delta;
        stamp(buffer, offset);
        return result;
    }

    /** A revert the expiry enforcement performed: the flag went from {@code from} to {@code to}. */
    public record Revert(FlagHandle flag, long from, long to) {
    }

    /**
     * Reverts the flag if its expiry has passed. The expiry word is claimed with a CAS, and
     * the value is swapped back with a CAS against what it held before the claim, so an
     * operator's {@code set} that lands meanwhile wins over the revert. A deleted flag is skipped.
     */
    public Optional<Revert> revertIfExpired(FlagHandle flag, long nowMillis) {
        FlagHandle.Binding binding = liveBinding(flag);
        if (binding == null) {
            return Optional.empty();
        }
        FlagBuffer buffer = binding.buffer();
        int offset = binding.slotOffset();
        long expiresAt = buffer.getLongAcquire(offset + EXPIRES_AT_OFFSET);
        if (expiresAt == 0 || nowMillis < expiresAt) {
            return Optional.empty();
        }
        long current = buffer.getLongAcquire(offset + VALUE_OFFSET);
        long revertTo = buffer.getLong(offset + REVERT_VALUE_OFFSET);
        if (!buffer.compareAndSetLong(offset + EXPIRES_AT_OFFSET, expiresAt, 0L)) {
            return Optional.empty();
        }
        if (!buffer.compareAndSetLong(offset + VALUE_OFFSET, current, revertTo)) {
            return Optional.empty();
        }
        stamp(buffer, offset);
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
            FlagBuffer buffer = file.buffer();
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
            buffer.getAndAddLong(CHANGE_SEQUENCE_OFFSET, 1L);
            return replaced;
        });
    }

    /** Drops {@code name}'s scheduled window; returns it, or empty when it had none. */
    public Optional<ScheduledWindow> cancelWindow(String name) {
        if (file.layoutVersion() < LAYOUT_VERSION) {
            return Optional.empty();
        }
        return underDefineLock(() -> {
            FlagBuffer buffer = file.buffer();
            int index = WindowTable.indexOf(buffer, name);
            if (index < 0) {
                return Optional.empty();
            }
            Optional<ScheduledWindow> cancelled = Optional.ofNullable(WindowTable.at(buffer, index));
            WindowTable.free(buffer, index);
            buffer.getAndAddLong(CHANGE_SEQUENCE_OFFSET, 1L);
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
                || WindowTable.list(file.buffer()).stream().noneMatch(w -> w.due(nowMillis))) {
            return List.of();
        }
        return tryUnderDefineLock(() -> {
            FlagBuffer buffer = file.buffer();
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
                    outcomes.add(new WindowOutcome(w, true, setUntil(flag.get(), w.value(), w.endsAtMillis()).previous(), null));
                }
                WindowTable.free(buffer, i);
                buffer.getAndAddLong(CHANGE_SEQUENCE_OFFSET, 1L);
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
            FlagBuffer buffer = file.buffer();
            if (!WindowTable.empty(buffer)) {
                throw new FlagFileException(FlagFileException.Reason.CORRUPT, file.path(), "bytes " + WINDOW_TABLE_OFFSET
                        + ".." + (HEADER_LENGTH - 1) + " should be zero in a layout v1 file; not upgrading it");
            }
            buffer.putLongRelease(MAGIC_OFFSET, magicAndVersion(LAYOUT_VERSION));
            try {
                file.channel().force(false);
            } catch (IOException e) {
                throw new FlagFileException(FlagFileException.Reason.IO, file.path(), "upgraded, but cannot sync it: " + e, e);
            }
            buffer.getAndAddLong(CHANGE_SEQUENCE_OFFSET, 1L);
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
    DaemonLock.Publication publish(FlagHandle counter, long value) {
        FlagHandle.Binding binding = liveBinding(counter);
        if (binding == null) {
            return DaemonLock.Publication.DELETED;
        }
        FlagBuffer buffer = binding.buffer();
        int offset = binding.slotOffset();
        long old = buffer.getAndSetLong(offset + VALUE_OFFSET, value);
        if (old == value) {
            return DaemonLock.Publication.UNCHANGED;
        }
        stamp(buffer, offset);
        return DaemonLock.Publication.CHANGED;
    }

    /** The handle's binding when its flag still exists in this file; null when it was deleted. */
    private FlagHandle.Binding liveBinding(FlagHandle flag) {
        if (!flag.belongsTo(file)) {
            throw new IllegalArgumentException(flag + " belongs to another flag file than " + file.path());
        }
        FlagHandle.Binding binding = flag.binding();
        return binding.present() && binding.current() ? binding : null;
    }

    private FlagHandle.Binding writableSlot(FlagHandle flag) {
        FlagHandle.Binding binding = liveBinding(flag);
        if (binding == null) {
            throw new FlagFileException(FlagFileException.Reason.UNKNOWN_FLAG, file.path(),
                    "flag \"" + flag.name() + "\" was deleted; nothing written");
        }
        if (binding.kind() == FlagKind.COUNTER) {
            throw new FlagFileException(FlagFileException.Reason.COUNTER_NOT_WRITABLE, file.path(),
                    "\"" + flag.name() + "\" is a counter published by the maintd daemon; it cannot be set by hand");
        }
        return binding;
    }

    /** After a value write: who and when, then the slot's count, then the file's sequence. */
    private static void stamp(FlagBuffer buffer, int offset) {
        stampWriter(buffer, offset);
        buffer.getAndAddLong(offset + CHANGE_COUNT_OFFSET, 1L);
        buffer.getAndAddLong(CHANGE_SEQUENCE_OFFSET, 1L);
    }

    private static void stampWriter(FlagBuffer buffer, int offset) {
        buffer.putLongOpaque(offset + UPDATED_AT_OFFSET, System.currentTimeMillis());
        buffer.putIntOpaque(offset + WRITER_PID_OFFSET, WriterIdentity.PID);
        buffer.putIntOpaque(offset + WRITER_UID_OFFSET, WriterIdentity.UID);
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
