package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** list() while another process writes: every snapshot is one the writer could have left. */
@Timeout(120)
class FlagSnapshotTest {
    private static final long WRITES = 2_000_000;
    private static final int MAX_SNAPSHOTS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void snapshotsTakenDuringAnotherProcesssWritesAgreeWithThemselves() {
        Path file = dir.resolve("flags");
        FlagFile.createIfMissing(file, 8, FlagFile.DEFAULT_MODE, null);
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            f.writer().define(FlagWorker.BARRIER_FLAG, FlagKind.FLAG, 0);
            f.writer().define("hot", FlagKind.FLAG, 0);
        }
        List<String> torn = new ArrayList<>();
        int taken = 0;
        try (FlagFile f = FlagFile.openReadOnly(file); ChildJvm writer = ChildJvm.start("add", file.toString(), "hot", Long.toString(WRITES), "1")) {
            FlagHandle hot = f.reader().handle("hot");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (hot.get() < WRITES && taken < MAX_SNAPSHOTS && System.nanoTime() < deadline) {
                for (FlagSnapshot s : f.reader().list()) {
                    if (s.name().equals("hot") && (s.value() - s.changeCount() > 1 || s.value() < s.changeCount())) {
                        torn.add("value " + s.value() + " with change count " + s.changeCount());
                    }
                }
                taken++;
            }
            writer.expectLine("done ");
            assertEquals(0, writer.awaitExit());
        }
        assertTrue(taken > 0);
        assertEquals(List.of(), torn.subList(0, Math.min(torn.size(), 10)));
    }
}
