package io.maintd.testsupport;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagWriter;
import io.maintd.flagfile.StandardFlags;
import java.nio.file.Path;

/**
 * A real flag file in a test's directory ({@code dir/flags}), created as flagctl and the daemon
 * create it (mode 0660, no group) and open for reading and writing; closed with the test. Tests
 * that read through a mapping of their own, as the daemon does beside flagctl, open one on
 * {@link #path()}.
 */
public final class TempFlagFile implements AutoCloseable {
    /** Room for the standard flags and whatever a test defines. */
    public static final int CAPACITY = 64;

    private final FlagFile file;
    private final FlagWriter writer;

    private TempFlagFile(FlagFile file) {
        this.file = file;
        this.writer = file.writer();
    }

    /** {@code dir/flags} with {@link #CAPACITY} slots, no flag defined yet. */
    public static TempFlagFile create(Path dir) {
        return create(dir, CAPACITY);
    }

    public static TempFlagFile create(Path dir, int capacity) {
        Path path = dir.resolve("flags");
        FlagFile.createIfMissing(path, capacity, FlagFile.DEFAULT_MODE, null);
        return new TempFlagFile(FlagFile.openReadWrite(path));
    }

    /** With the operator flags a daemon defines at start, and not its counters: maint, drain and shed 0, weight 100. */
    public static TempFlagFile withOperatorFlags(Path dir) {
        TempFlagFile flags = create(dir);
        flags.define(StandardFlags.MAINT, 0);
        flags.define(StandardFlags.DRAIN, 0);
        flags.define(StandardFlags.SHED, 0);
        flags.define(StandardFlags.WEIGHT, StandardFlags.FULL_WEIGHT);
        return flags;
    }

    public Path path() {
        return file.path();
    }

    public FlagWriter writer() {
        return writer;
    }

    public FlagReader reader() {
        return writer.reader();
    }

    /** Defines an operator flag ({@link FlagKind#FLAG}) with {@code value}, as {@code flagctl create} does. */
    public TempFlagFile define(String name, long value) {
        writer.define(name, FlagKind.FLAG, value);
        return this;
    }

    /** What {@code flagctl set NAME VALUE} does. */
    public void set(String name, long value) {
        writer.set(reader().handle(name), value);
    }

    public long get(String name) {
        return reader().handle(name).get();
    }

    @Override
    public void close() {
        file.close();
    }
}
