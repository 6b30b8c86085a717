package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layout v2's window table: scheduling, replacing, cancelling, starting, and the v1 upgrade. */
class ScheduledWindowTest {
    private static final long T = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private Path create() {
        Path path = dir.resolve("flags");
        FlagFile.createIfMissing(path, 8, FlagFile.DEFAULT_MODE, null);
        try (FlagFile file = FlagFile.openReadWrite(path)) {
            file.writer().define("maint", FlagKind.FLAG, 0);
            file.writer().define("inflight", FlagKind.COUNTER, 0);
        }
        return path;
    }

    /** What a file written before layout v2 looks like: version 1, the table's bytes zero. */
    private Path createV1() throws IOException {
        Path path = create();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1), FlagFileLayout.VERSION_OFFSET);
        }
        return path;
    }

    @Test
    void newFilesAreLayoutV2AndAWindowIsReadBackByAnotherMapping() {
        Path path = create();
        try (FlagFile file = FlagFile.openReadWrite(path)) {
            assertEquals(2, file.layoutVersion());
            FlagWriter w = file.writer();
            assertEquals(Optional.empty(), w.schedule(w.reader().handle("maint"), 1, T, T + 3_600_000));
        }
        try (FlagFile again = FlagFile.openReadOnly(path)) {
            assertEquals(List.of(new ScheduledWindow("maint", 1, T, T + 3_600_000)), again.reader().windows());
        }
    }

    @Test
    void aSecondScheduleReplacesTheFirstAndCancelDropsIt() {
        try (FlagFile file = FlagFile.openReadWrite(create())) {
            FlagWriter w = file.writer();
            FlagHandle maint = w.reader().handle("maint");
            w.schedule(maint, 1, T, T + 1000);
            assertEquals(Optional.of(new ScheduledWindow("maint", 1, T, T + 1000)), w.schedule(maint, 2, T + 5, T + 9));
            assertEquals(List.of(new ScheduledWindow("maint", 2, T + 5, T + 9)), w.reader().windows());
            assertEquals(Optional.of(new ScheduledWindow("maint", 2, T + 5, T + 9)), w.cancelWindow("maint"));
            assertEquals(List.of(), w.reader().windows());
            assertEquals(Optional.empty(), w.cancelWindow("maint"));
        }
    }

    @Test
    void theTableHoldsSixteenWindowsAndSaysWhenFull() {
        try (FlagFile file = FlagFile.openReadWrite(bigFile())) {
            FlagWriter w = file.writer();
            for (int i = 0; i < FlagFileLayout.WINDOW_COUNT; i++) {
                w.schedule(w.reader().handle("f" + i), 1, T, T + 1);
            }
            FlagFileException full = assertThrows(FlagFileException.class,
                    () -> w.schedule(w.reader().handle("f" + FlagFileLayout.WINDOW_COUNT), 1, T, T + 1));
            assertEquals(FlagFileException.Reason.FULL, full.reason());
            assertTrue(full.getMessage().contains("all 16 windows are scheduled; cancel one first"), full.getMessage());
        }
    }

    private Path bigFile() {
        Path path = dir.resolve("flags-big");
        FlagFile.createIfMissing(path, 32, FlagFile.DEFAULT_MODE, null);
        try (FlagFile file = FlagFile.openReadWrite(path)) {
            for (int i = 0; i <= FlagFileLayout.WINDOW_COUNT; i++) {
                file.writer().define("f" + i, FlagKind.FLAG, 0);
            }
        }
        return path;
    }

    @Test
    void aDueWindowStartsAsATimedSetThatRevertsToThePreviousValue() {
        try (FlagFile file = FlagFile.openReadWrite(create())) {
            FlagWriter w = file.writer();
            FlagHandle maint = w.reader().handle("maint");
            w.schedule(maint, 1, T, T + 1000);
            assertEquals(List.of(), w.startDueWindows(T - 1), "not yet");
            List<FlagWriter.WindowOutcome> started = w.startDueWindows(T + 10);
            assertEquals(1, started.size());
            assertTrue(started.get(0).started());
            assertEquals(1, maint.get());
            FlagSnapshot s = w.reader().snapshot(maint).orElseThrow();
            assertEquals(T + 1000, s.expiresAtMillis());
            assertEquals(0, s.revertValue());
            assertEquals(List.of(), w.reader().windows(), "a started window is freed");
            assertTrue(w.revertIfExpired(maint, T + 1000).isPresent());
            assertEquals(0, maint.get());
        }
    }

    @Test
    void aWindowWhoseEndPassedIsDroppedWithoutEverStarting() {
        try (FlagFile file = FlagFile.openReadWrite(create())) {
            FlagWriter w = file.writer();
            FlagHandle maint = w.reader().handle("maint");
            w.schedule(maint, 1, T, T + 1000);
            List<FlagWriter.WindowOutcome> outcomes = w.startDueWindows(T + 1000);
            assertFalse(outcomes.get(0).started());
            assertTrue(outcomes.get(0).dropped().startsWith("it ended before it could start"));
            assertEquals(0, maint.get());
            assertEquals(List.of(), w.reader().windows());
        }
    }

    @Test
    void aWindowOfADeletedFlagIsDropped() {
        try (FlagFile file = FlagFile.openReadWrite(create())) {
            FlagWriter w = file.writer();
            w.schedule(w.reader().handle("maint"), 1, T, T + 1000);
            w.delete("maint");
            List<FlagWriter.WindowOutcome> outcomes = w.startDueWindows(T + 1);
            assertEquals("there is no operator flag \"maint\" any more", outcomes.get(0).dropped());
        }
    }

    @Test
    void countersCannotBeScheduled() {
        try (FlagFile file = FlagFile.openReadWrite(create())) {
            FlagWriter w = file.writer();
            assertEquals(FlagFileException.Reason.COUNTER_NOT_WRITABLE, assertThrows(FlagFileException.class,
                    () -> w.schedule(w.reader().handle("inflight"), 1, T, T + 1)).reason());
        }
    }

    @Test
    void aLayoutV1FileIsReadHasNoWindowsAndIsUpgradedInPlace() throws IOException {
        Path path = createV1();
        try (FlagFile file = FlagFile.openReadWrite(path)) {
            FlagWriter w = file.writer();
            assertEquals(1, file.layoutVersion());
            assertEquals(List.of(), w.reader().windows());
            FlagFileException refused = assertThrows(FlagFileException.class,
                    () -> w.schedule(w.reader().handle("maint"), 1, T, T + 1));
            assertEquals(FlagFileException.Reason.UNSUPPORTED_VERSION, refused.reason());
            assertTrue(refused.getMessage().contains("upgrade it in place with: flagctl init --upgrade"), refused.getMessage());
            assertTrue(w.upgradeLayout());
            assertFalse(w.upgradeLayout(), "once only");
            assertEquals(2, file.layoutVersion());
            w.schedule(w.reader().handle("maint"), 1, T, T + 1);
        }
        try (FlagFile again = FlagFile.openReadOnly(path)) {
            assertEquals(2, again.layoutVersion());
            assertEquals(1, again.reader().windows().size());
        }
    }

    @Test
    void aV1FileWithNonZeroTableBytesIsNotUpgraded() throws IOException {
        Path path = createV1();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {7}), 4000);
        }
        try (FlagFile file = FlagFile.openReadWrite(path)) {
            FlagFileException e = assertThrows(FlagFileException.class, () -> file.writer().upgradeLayout());
            assertEquals(FlagFileException.Reason.CORRUPT, e.reason());
            assertEquals(1, file.layoutVersion());
        }
    }
}
