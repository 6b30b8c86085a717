package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One process deletes and re-creates flags in a loop, all in the file's one slot, while this one
 * reads a flag through a handle it holds (and re-binds it all the time, as the daemon's monitor
 * does). Every value the other flags hold is tagged with their number: reading one through our
 * handle would be reading another flag's value under our name.
 */
@Timeout(120)
class SlotReuseAcrossProcessesTest {
    private static final long CHURN_MILLIS = 3_000;
    private static final List<String> NAMES = List.of("a", "b", "c");

    @TempDir
    Path dir;

    @Test
    void aHeldHandleNeverReadsAnotherFlagsValueWhileItsSlotIsReused() throws InterruptedException {
        Path path = dir.resolve("flags");
        FlagFile.createIfMissing(path, 1, FlagFile.DEFAULT_MODE, null);
        try (FlagFile file = FlagFile.openReadOnly(path)) {
            FlagReader reader = file.reader();
            try (FlagFile setup = FlagFile.openReadWrite(path)) {
                setup.writer().define("c", FlagKind.FLAG, FlagWorker.tagged(2, 0));
            }
            FlagHandle c = reader.handle("c");
            long ours = FlagWorker.tagged(2, 0) >>> 32;
            AtomicBoolean reading = new AtomicBoolean(true);
            Thread rebinding = new Thread(() -> {
                while (reading.get()) {
                    reader.refreshHandles();
                    Thread.onSpinWait();
                }
            });
            rebinding.start();
            long reads = 0;
            long present = 0;
            List<String> foreign = new ArrayList<>();
            try (ChildJvm churn = ChildJvm.start("churn", path.toString(), Long.toString(CHURN_MILLIS), String.join(",", NAMES))) {
                churn.expectLine("started");
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHURN_MILLIS);
                while (System.nanoTime() < until) {
                    long value = c.get();
                    reads++;
                    if (value != 0) {
                        present++;
                        if (value >>> 32 != ours && foreign.size() < 10) {
                            foreign.add(Long.toHexString(value));
                        }
                    }
                }
                long definitions = Long.parseLong(churn.expectLine("done "));
                assertEquals(0, churn.awaitExit());
                assertTrue(definitions > 100, "the other process defined only " + definitions + " flags");
            } finally {
                reading.set(false);
                rebinding.join();
            }
            assertEquals(List.of(), foreign, "values of other flags read through the handle of \"c\"");
            assertTrue(present > 0 && present < reads,
                    "the handle read " + present + " values of c in " + reads + " reads: it never followed c, or c never went away");
        }
    }
}
