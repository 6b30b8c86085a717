package io.maintd.bench;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * once. Measured alone, while another thread writes a different flag (its own 128-byte slot),
 * and while another thread writes the same flag (the reader's cache line keeps being stolen).
 * A volatile heap field is the yardstick: the flag read should cost the same.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FlagReadBenchmark {
    private Path dir;
    private FlagFile file;
    private FlagWriter writer;
    private FlagHandle maint;
    private FlagHandle other;
    private volatile long heapField = 1;

    @Setup(Level.Trial)
    public void createFlagFile() throws IOException {
        dir = Files.createTempDirectory("maintd-bench");
        Path path = dir.resolve("flags");
        FlagFile.createIfMissing(path, 16, FlagFile.DEFAULT_MODE, null);
        file = FlagFile.openReadWrite(path);
        writer = file.writer();
        maint = writer.define("maint", FlagKind.FLAG, 1).handle();
        other = writer.define("other", FlagKind.FLAG, 0).handle();
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
    public long flagRead() {
        return maint.get();
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
