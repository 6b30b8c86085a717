package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
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
    private final FlagBuffer buffer;
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
            buffer.putIntRelease(offset + STATE_OFFSET, STATE_RESERVING);
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            byte[] padded = new byte[MAX_NAME_LENGTH + 1];
            System.arraycopy(bytes, 0, padded, 0, bytes.length);
            buffer.putBytes(offset + NAME_OFFSET, padded);
            buffer.putInt(offset + NAME_LENGTH_OFFSET, bytes.length);
            buffer.putInt(offset + KIND_OFFSET, kind.code);
            buffer.putLong(offset + VALUE_OFFSET, initial);
            buffer.putLong(offset + EXPIRES_AT_OFFSET, 0L);
            buffer.putLong(offset + REVERT_VALUE_OFFSET, 0L);
            buffer.putLong(offset + CHANGE_COUNT_OFFSET, 0L);
            stampWriter(offset);
            // Publication point: a reader that acquires ACTIVE sees every field above.
            buffer.putIntRelease(offset + STATE_OFFSET, STATE_ACTIVE);
            buffer.getAndAddLong(CHANGE_SEQUENCE_OFFSET, 1L);
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
            buffer.putIntRelease(offset + STATE_OFFSET, STATE_FREE);
            buffer.putInt(offset + NAME_LENGTH_OFFSET, 0);
            buffer.putBytes(offset + NAME_OFFSET, new byte[MAX_NAME_LENGTH + 1]);
            buffer.getAndAddLong(CHANGE_SEQUENCE_OFFSET, 1L);
            return true;
        });
    }

    /** Sets the value and cancels any pending expiry; returns the previous value. */
    public long set(FlagHandle flag, long value) {
        int offset = writableSlot(flag);
        // Cancel the expiry before the value moves, so the daemon never reverts this write.
        buffer.putLongRelease(offset + EXPIRES_AT_OFFSET, 0L);
        long old = buffer.getAndSetLong(offset + VALUE_OFFSET, value);
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
        long pending = buffer.getAndSetLong(offset + EXPIRES_AT_OFFSET, 0L);
        long old = buffer.getAndSetLong(offset + VALUE_OFFSET, value);
        long revertTo = pending != 0 ? buffer.getLong(offset + REVERT_VALUE_OFFSET) : old;
        buffer.putLong(offset + REVERT_VALUE_OFFSET, revertTo);
        buffer.putLongRelease(offset + EXPIRES_AT_OFFSET, expiresAtMillis);
        stamp(offset);
        return old;
    }

    /** Atomic compare-and-set across processes; false (and nothing written) when it lost. */
    public boolean compareAndSet(FlagHandle flag, long expected, long value) {
        int offset = writableSlot(flag);
        if (!buffer.compareAndSetLong(offset + VALUE_OFFSET, expected, value)) {
            return false;
        }
        stamp(offset);
        return true;
    }

    /** Atomic add across processes; returns the new value. Keeps a pending expiry. */
    public long addAndGet(FlagHandle flag, long delta) {
        int offset = writableSlot(flag);
        long result = buffer.getAndAddLong(offset + VALUE_OFFSET, delta) + delta;
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
        stamp(offset);
        return Optional.of(new Revert(flag, current, revertTo));
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
        long old = buffer.getAndSetLong(offset + VALUE_OFFSET, value);
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
        buffer.getAndAddLong(offset + CHANGE_COUNT_OFFSET, 1L);
        buffer.getAndAddLong(CHANGE_SEQUENCE_OFFSET, 1L);
    }

    private void stampWriter(int offset) {
        buffer.putLongOpaque(offset + UPDATED_AT_OFFSET, System.currentTimeMillis());
        buffer.putIntOpaque(offset + WRITER_PID_OFFSET, WriterIdentity.PID);
        buffer.putIntOpaque(offset + WRITER_UID_OFFSET, WriterIdentity.UID);
    }

    private int freeSlot(String name) {
        for (int i = 0; i < file.slotCount(); i++) {
            int offset = slotOffset(i);
            if (buffer.getIntAcquire(offset + STATE_OFFSET) != STATE_ACTIVE) {
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
