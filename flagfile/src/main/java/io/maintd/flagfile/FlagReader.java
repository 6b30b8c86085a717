package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.lang.invoke.VarHandle;
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

    FlagReader(FlagFile file) {
        this.file = file;
    }

    public Path path() {
        return file.path();
    }

    /**
     * Resolves a name to its handle; the scan is done here once, never on {@link FlagHandle#get()}.
     * The mapping keeps one handle per name: resolving a name again returns the same handle,
     * bound to the slot that carries the name now.
     */
    public Optional<FlagHandle> find(String name) {
        return file.handles().resolve(name);
    }

    /**
     * Binds every handle this mapping gave out to the slot that now carries its name, or to
     * "absent" when the name is gone. Long-lived holders (the daemon, on every monitor tick) call
     * this so that a flag deleted and defined again is followed without a restart.
     */
    public void refreshHandles() {
        file.handles().refresh();
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

    /** The handle's slot as read now; empty when the flag is absent or its slot was re-used. */
    public Optional<FlagSnapshot> snapshot(FlagHandle handle) {
        FlagHandle.Binding b = handle.binding();
        if (!b.present()) {
            return Optional.empty();
        }
        return Optional.ofNullable(snapshot(b.slot())).filter(s -> s.registration() == b.registration());
    }

    private FlagSnapshot snapshot(int index) {
        FlagBuffer buffer = file.buffer();
        int offset = slotOffset(index);
        // Name, kind and registration once, outside the retry loop: they only change by delete +
        // define, and a short retry window is what lets a snapshot succeed against a writer that
        // never pauses.
        SlotDefinition definition = SlotDefinition.read(buffer, offset);
        if (definition == null) {
            return null;
        }
        FlagSnapshot last = null;
        for (int attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
            long before = buffer.getLongAcquire(offset + CHANGE_COUNT_OFFSET);
            last = new FlagSnapshot(definition.name(), definition.kind(), index,
                    buffer.getLongAcquire(offset + VALUE_OFFSET),
                    before,
                    buffer.getLong(offset + UPDATED_AT_OFFSET),
                    buffer.getInt(offset + WRITER_PID_OFFSET),
                    buffer.getInt(offset + WRITER_UID_OFFSET),
                    buffer.getLongAcquire(offset + EXPIRES_AT_OFFSET),
                    buffer.getLong(offset + REVERT_VALUE_OFFSET),
                    definition.registration());
            // Seqlock check: keep the field loads above from drifting below the re-read.
            VarHandle.acquireFence();
            if (buffer.getLongAcquire(offset + CHANGE_COUNT_OFFSET) == before) {
                // Deleted meanwhile: these fields are a freed slot's, not a flag's.
                return definition.current(buffer) ? last : null;
            }
            Thread.onSpinWait();
        }
        return last;
    }

    /** The scheduled windows, in table order; none in a layout v1 file. */
    public List<ScheduledWindow> windows() {
        return file.layoutVersion() < LAYOUT_VERSION ? List.of() : WindowTable.list(file.buffer());
    }

    /** {@code name}'s scheduled window, if it has one. */
    public Optional<ScheduledWindow> window(String name) {
        return windows().stream().filter(w -> w.flag().equals(name)).findFirst();
    }

    /** Moves after every completed write to any slot: a watcher polls this one word. */
    public long changeSequence() {
        return file.buffer().getLongAcquire(CHANGE_SEQUENCE_OFFSET);
    }

    public DaemonStatus daemon() {
        FlagBuffer buffer = file.buffer();
        return new DaemonStatus(
                buffer.getLongAcquire(DAEMON_PID_OFFSET),
                buffer.getLongAcquire(DAEMON_STARTED_AT_OFFSET),
                buffer.getLongAcquire(DAEMON_HEARTBEAT_OFFSET));
    }

    public long createdAtMillis() {
        return file.buffer().getLong(CREATED_AT_OFFSET);
    }

    public int capacity() {
        return file.slotCount();
    }

    public ChangeWatcher watcher() {
        return new ChangeWatcher(this);
    }
}
