package io.maintd.bench;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagFileLayout;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagWriter;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the request path pays to learn a flag: one {@link FlagHandle#get()} on a handle resolved
 * once, for a flag that is on (its value, then the slot's registration) and for one that is off
 * (the value alone). Measured alone, while another thread writes a different flag (its own 128-byte slot),
 * and while another thread writes the same flag (the reader's cache line keeps being stolen).
 * Two yardsticks: a volatile heap field (one load), and the bare JDK mechanism the flag file
 * is built on (an acquire load through a {@code ByteBuffer}-view VarHandle on a mapping of the
 * same file), so what {@link FlagHandle} adds on top of the JDK shows separately.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FlagReadBenchmark {
    private Path dir;
    private FlagFile file;
    private FlagWriter writer;
    private FlagHandle maint;
    private FlagHandle drain;
    private FlagHandle other;
    private volatile long heapField = 1;
    private static final VarHandle MAPPED_LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private MappedByteBuffer bareMapping;
    private int maintOffset;

    @Setup(Level.Trial)
    public void createFlagFile() throws IOException {
        dir = Files.createTempDirectory("maintd-bench");
        Path path = dir.resolve("flags");
        FlagFile.createIfMissing(path, 16, FlagFile.DEFAULT_MODE, null);
        file = FlagFile.openReadWrite(path);
        writer = file.writer();
        maint = writer.define("maint", FlagKind.FLAG, 1).handle();
        drain = writer.define("drain", FlagKind.FLAG, 0).handle();
        other = writer.define("other", FlagKind.FLAG, 0).handle();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            bareMapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        }
        maintOffset = FlagFileLayout.slotOffset(maint.slot()) + FlagFileLayout.VALUE_OFFSET;
    }

    @TearDown(Level.Trial)
    public void deleteFlagFile() throws IOException {
        file.close();
        Files.delete(dir.resolve("flags"));
        Files.delete(dir);
    }

    @Benchmark
    public long volatileHeapField() {
        return heapField;
    }

    @Benchmark
    public long mappedVarHandle() {
        return (long) MAPPED_LONG.getAcquire(bareMapping, maintOffset);
    }

    /** A flag that is on (maint = 1): the value, then the registration check. */
    @Benchmark
    public long flagRead() {
        return maint.get();
    }

    /** A flag that is off (drain = 0), the request path's common case: 0 needs no registration check. */
    @Benchmark
    public long flagReadOff() {
        return drain.get();
    }

    @Benchmark
    @Group("otherFlagWritten")
    @GroupThreads(1)
    public long flagReadWhileOtherFlagWritten() {
        return maint.get();
    }

    @Benchmark
    @Group("otherFlagWritten")
    @GroupThreads(1)
    public long otherFlagWrite() {
        return writer.addAndGet(other, 1);
    }

    @Benchmark
    @Group("sameFlagWritten")
    @GroupThreads(1)
    public long flagReadWhileSameFlagWritten() {
        return maint.get();
    }

    @Benchmark
    @Group("sameFlagWritten")
    @GroupThreads(1)
    public long sameFlagWrite() {
        return writer.addAndGet(maint, 1);
    }
}
