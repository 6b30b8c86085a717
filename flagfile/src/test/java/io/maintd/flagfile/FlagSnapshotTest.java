package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * list() while another process adds to a flag. A single adder moves the value first and the
 * change count after, so a consistent snapshot has value == count (quiet) or count + 1 (a write
 * in flight). A reader cannot stop a lock-free writer: against one that never pauses, a
 * snapshot may give up retrying, but even then its value is never behind its count.
 */
@Timeout(120)
class FlagSnapshotTest {
    private static final long MAX_SNAPSHOTS = 2_000_000;

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void createFile() {
        file = dir.resolve("flags");
        FlagFile.createIfMissing(file, 8, FlagFile.DEFAULT_MODE, null);
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            f.writer().define(FlagWorker.BARRIER_FLAG, FlagKind.FLAG, 0);
            f.writer().define("hot", FlagKind.FLAG, 0);
        }
    }

    @Test
    void snapshotsAgreeWithTheirChangeCountWhileAnotherProcessWritesEveryFewMicroseconds() {
        List<String> torn = snapshotsDuringWrites(100_000, TimeUnit.MICROSECONDS.toNanos(2),
                s -> s.value() - s.changeCount() == 0 || s.value() - s.changeCount() == 1);

        assertEquals(List.of(), torn);
    }

    @Test
    void snapshotValueIsNeverBehindItsChangeCountUnderANonStopWriter() {
        List<String> behind = snapshotsDuringWrites(2_000_000, 0, s -> s.value() >= s.changeCount());

        assertEquals(List.of(), behind);
    }

    /** Takes snapshots until the writer is done; returns (up to 10 of) those failing the check. */
    private List<String> snapshotsDuringWrites(long writes, long gapNanos, Predicate<FlagSnapshot> consistent) {
        List<String> failing = new ArrayList<>();
        long taken = 0;
        try (FlagFile f = FlagFile.openReadOnly(file);
             ChildJvm writer = ChildJvm.start("add", file.toString(), "hot", Long.toString(writes), "1", Long.toString(gapNanos))) {
            FlagHandle hot = f.reader().handle("hot");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (hot.get() < writes && taken < MAX_SNAPSHOTS && System.nanoTime() < deadline) {
                for (FlagSnapshot s : f.reader().list()) {
                    if (s.name().equals("hot") && !consistent.test(s) && failing.size() < 10) {
                        failing.add("value " + s.value() + " with change count " + s.changeCount());
                    }
                }
                taken++;
            }
            writer.expectLine("done ");
            assertEquals(0, writer.awaitExit());
            FlagSnapshot last = f.reader().snapshot(hot).orElseThrow();
            assertEquals(writes, last.value());
            assertEquals(writes, last.changeCount(), "once the writer is done, the count has caught up");
        }
        assertTrue(taken > 0, "no snapshot was taken while the writer ran");
        return failing;
    }
}
