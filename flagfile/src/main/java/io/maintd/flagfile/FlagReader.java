package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Everything a process without write access may do: resolve, read, list, watch. */
public final class FlagReader {
    /**
     * A snapshot retries this often when writers keep moving the slot under it; after that it
     * returns its last read, which may pair a value with a neighbouring change count.
     */
    private static final int SNAPSHOT_ATTEMPTS = 1024;

    private final FlagFile file;
    private final MappedByteBuffer buffer;

    FlagReader(FlagFile file) {
        this.file = file;
        this.buffer = file.buffer();
    }

    public Path path() {
        return file.path();
    }

    /** Resolves a name to a handle; the scan is done here once, never on {@link FlagHandle#get()}. */
    public Optional<FlagHandle> find(String name) {
        int slotCount = file.slotCount();
        for (int i = 0; i < slotCount; i++) {
            int offset = slotOffset(i);
            if ((int) FlagFile.INT.getAcquire(buffer, offset + STATE_OFFSET) == STATE_ACTIVE
                    && name.equals(FlagFileValidator.readName(buffer, offset))) {
                FlagKind kind = FlagKind.ofCode((int) FlagFile.INT.get(buffer, offset + KIND_OFFSET));
                return Optional.of(new FlagHandle(buffer, offset, name, kind));
            }
        }
        return Optional.empty();
    }

    /** Like {@link #find} but an unknown name is an error that lists the names that do exist. */
    public FlagHandle handle(String name) {
        return find(name).orElseThrow(() -> new FlagFileException(FlagFileException.Reason.UNKNOWN_FLAG, path(),
                "no flag \"" + name + "\" (known: " + String.join(", ", names()) + ")"));
    }

    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (FlagSnapshot s : list()) {
            names.add(s.name());
        }
        return names;
    }

    /** All active slots in slot order, each read consistently with its change count. */
    public List<FlagSnapshot> list() {
        List<FlagSnapshot> out = new ArrayList<>();
        for (int i = 0; i < file.slotCount(); i++) {
            FlagSnapshot s = snapshot(i);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    public Optional<FlagSnapshot> snapshot(FlagHandle handle) {
        return Optional.ofNullable(snapshot(handle.slot())).filter(s -> s.name().equals(handle.name()));
    }

    private FlagSnapshot snapshot(int index) {
        int offset = slotOffset(index);
        // State first (acquire): only an active slot's name and kind are published.
        if ((int) FlagFile.INT.getAcquire(buffer, offset + STATE_OFFSET) != STATE_ACTIVE) {
            return null;
        }
        // Read once, outside the retry loop: they only change by delete + define, and a short
        // retry window is what lets a snapshot succeed against a writer that never pauses.
        String name = FlagFileValidator.readName(buffer, offset);
        FlagKind kind = FlagKind.ofCode((int) FlagFile.INT.get(buffer, offset + KIND_OFFSET));
        if (name == null || kind == null) {
            return null;
        }
        FlagSnapshot last = null;
        for (int attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
            long before = (long) FlagFile.LONG.getAcquire(buffer, offset + CHANGE_COUNT_OFFSET);
            last = new FlagSnapshot(name, kind, index,
                    (long) FlagFile.LONG.getAcquire(buffer, offset + VALUE_OFFSET),
                    before,
                    (long) FlagFile.LONG.get(buffer, offset + UPDATED_AT_OFFSET),
                    (int) FlagFile.INT.get(buffer, offset + WRITER_PID_OFFSET),
                    (int) FlagFile.INT.get(buffer, offset + WRITER_UID_OFFSET),
                    (long) FlagFile.LONG.getAcquire(buffer, offset + EXPIRES_AT_OFFSET),
                    (long) FlagFile.LONG.get(buffer, offset + REVERT_VALUE_OFFSET));
            // Seqlock check: keep the field loads above from drifting below the re-read.
            VarHandle.acquireFence();
            if ((long) FlagFile.LONG.getAcquire(buffer, offset + CHANGE_COUNT_OFFSET) == before) {
                return last;
            }
            Thread.onSpinWait();
        }
        return last;
    }

    /** Moves after every completed write to any slot: a watcher polls this one word. */
    /** The scheduled windows, in table order; none in a layout v1 file. */
    public List<ScheduledWindow> windows() {
        return file.layoutVersion() < LAYOUT_VERSION ? List.of() : WindowTable.list(buffer);
    }

    /** {@code name}'s scheduled window, if it has one. */
    public Optional<ScheduledWindow> window(String name) {
        return windows().stream().filter(w -> w.flag().equals(name)).findFirst();
    }

    public long changeSequence() {
        return (long) FlagFile.LONG.getAcquire(buffer, CHANGE_SEQUENCE_OFFSET);
    }

    public DaemonStatus daemon() {
        return new DaemonStatus(
                (long) FlagFile.LONG.getAcquire(buffer, DAEMON_PID_OFFSET),
                (long) FlagFile.LONG.getAcquire(buffer, DAEMON_STARTED_AT_OFFSET),
                (long) FlagFile.LONG.getAcquire(buffer, DAEMON_HEARTBEAT_OFFSET));
    }

    public long createdAtMillis() {
        return (long) FlagFile.LONG.get(buffer, CREATED_AT_OFFSET);
    }

    public int capacity() {
        return file.slotCount();
    }

    public ChangeWatcher watcher() {
        return new ChangeWatcher(this);
    }
}
