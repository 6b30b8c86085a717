package io.maintd.lifecycle;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagWriter;
import io.maintd.flagfile.StandardFlags;
import java.nio.file.Path;

/**
 * A real flag file with maint/drain/weight, read the way the daemon reads it (its own
 * read-only mapping) and written through a separate read-write mapping, as flagctl would.
 */
public final class ModeFlagsFixture implements AutoCloseable {
    private final FlagFile writable;
    private final FlagFile readOnly;
    private final FlagWriter writer;
    private final FlagReader reader;
    private final ModeSource modes;

    private ModeFlagsFixture(Path file) {
        FlagFile.createIfMissing(file, 64, FlagFile.DEFAULT_MODE, null);
        writable = FlagFile.openReadWrite(file);
        writer = writable.writer();
        StandardFlags.defineMissing(writer);
        readOnly = FlagFile.openReadOnly(file);
        reader = readOnly.reader();
        modes = new ModeSource(reader.handle(StandardFlags.MAINT), reader.handle(StandardFlags.DRAIN),
                reader.handle(StandardFlags.WEIGHT));
    }

    public static ModeFlagsFixture create(Path dir) {
        return new ModeFlagsFixture(dir.resolve("flags"));
    }

    /** The daemon's view. */
    public ModeSource modes() {
        return modes;
    }

    /** What {@code flagctl set NAME VALUE} does. */
    public void set(String flag, long value) {
        writer.set(writer.reader().handle(flag), value);
    }

    public long get(String flag) {
        return writer.reader().handle(flag).get();
    }

    /** What the daemon's monitor does every tick. */
    public void refreshDaemonHandles() {
        reader.refreshHandles();
    }

    public FlagWriter writer() {
        return writer;
    }

    @Override
    public void close() {
        readOnly.close();
        writable.close();
    }
}
