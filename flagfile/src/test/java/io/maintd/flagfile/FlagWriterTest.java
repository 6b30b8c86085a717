package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Defining, deleting and writing slots within one process. */
class FlagWriterTest {
    private static final int SLOTS = 4;

    @TempDir
    Path dir;
    private FlagFile file;
    private FlagWriter writer;
    private FlagReader reader;

    @BeforeEach
    void open() {
        Path path = dir.resolve("flags");
        FlagFile.createIfMissing(path, SLOTS, FlagFile.DEFAULT_MODE, null);
        file = FlagFile.openReadWrite(path);
        writer = file.writer();
        reader = writer.reader();
    }

    @AfterEach
    void close() {
        file.close();
    }

    @Test
    void defineCreatesTheSlotOnceAndThenReturnsIt() {
        FlagWriter.Definition first = writer.define("maint", FlagKind.FLAG, 3);
        FlagWriter.Definition second = writer.define("maint", FlagKind.FLAG, 9);

        assertTrue(first.created());
        assertFalse(second.created());
        assertEquals(first.handle().slot(), second.handle().slot());
        assertEquals(3, second.handle().get(), "defining an existing flag keeps its value");
    }

    @Test
    void definitionStampsTheWriter() {
        writer.define("maint", FlagKind.FLAG, 3);

        FlagSnapshot s = reader.list().get(0);
        assertEquals(new FlagSnapshot("maint", FlagKind.FLAG, 0, 3, 0, s.updatedAtMillis(), WriterIdentity.PID,
                WriterIdentity.UID, 0, 0, 1), s);
    }

    @Test
    void definingWithAnotherKindIsAKindMismatch() {
        writer.define("inflight", FlagKind.COUNTER, 0);

        FlagFileException e = assertThrows(FlagFileException.class, () -> writer.define("inflight", FlagKind.FLAG, 0));

        assertEquals(FlagFileException.Reason.KIND_MISMATCH, e.reason());
        assertTrue(e.getMessage().endsWith("\"inflight\" exists as a counter, not a flag"), e.getMessage());
    }

    @Test
    void deleteFreesTheSlotAndItsHandleReadsAbsent() {
        FlagHandle old = writer.define("maint", FlagKind.FLAG, 1).handle();

        assertTrue(writer.delete("maint"));

        assertFalse(old.isPresent());
        assertEquals(0, old.get(), "a deleted flag reads as absent, not stuck at its last value");
        assertEquals(List.of(), reader.list());
        assertTrue(reader.find("maint").isEmpty());
    }

    @Test
    void deletingAnUnknownNameReturnsFalse() {
        assertFalse(writer.delete("maint"));
    }

    @Test
    void definingBeyondCapacityIsFull() {
        for (int i = 0; i < SLOTS; i++) {
            writer.define("flag-" + i, FlagKind.FLAG, 0);
        }

        FlagFileException e = assertThrows(FlagFileException.class, () -> writer.define("one-more", FlagKind.FLAG, 0));

        assertEquals(FlagFileException.Reason.FULL, e.reason());
        assertTrue(e.getMessage().contains("no free slot for \"one-more\": all 4 are in use"), e.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "Maint", "-maint", ".maint", "_maint", "main t", "maint!", "mäint",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void invalidNamesAreRefused(String name) {
        FlagFileException e = assertThrows(FlagFileException.class, () -> writer.define(name, FlagKind.FLAG, 0));

        assertEquals(FlagFileException.Reason.INVALID_NAME, e.reason());
        assertTrue(e.getMessage().startsWith(file.path() + ": flag name "), e.getMessage());
        assertEquals(List.of(), reader.list());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"a", "0", "maint", "shed.pct", "backend_a-2", "a23456789012345678901234567890123456789012345678901234567890123"})
    void validNamesAreAccepted(String name) {
        assertEquals(name, writer.define(name, FlagKind.FLAG, 0).handle().name());
        assertEquals(name, reader.handle(name).name());
    }

    @Test
    void writesReturnWhatTheyPromise() {
        FlagHandle weight = writer.define("weight", FlagKind.FLAG, 10).handle();

        assertEquals(10, writer.set(weight, 20), "set returns the previous value");
        assertEquals(25, writer.addAndGet(weight, 5), "addAndGet returns the new value");
        assertFalse(writer.compareAndSet(weight, 20, 30), "a CAS against a stale value loses");
        assertEquals(25, weight.get());
        assertTrue(writer.compareAndSet(weight, 25, 30));
        assertEquals(30, weight.get());
    }

    @Test
    void everyCompletedWriteMovesTheSlotCountAndTheFileSequence() {
        FlagHandle weight = writer.define("weight", FlagKind.FLAG, 10).handle();
        long sequence = reader.changeSequence();

        writer.set(weight, 1);
        writer.addAndGet(weight, 1);
        writer.compareAndSet(weight, 2, 3);
        writer.compareAndSet(weight, 99, 4); // lost: writes nothing

        assertEquals(3, reader.snapshot(weight).orElseThrow().changeCount());
        assertEquals(sequence + 3, reader.changeSequence());
    }

    @Test
    void countersCannotBeWrittenByHand() {
        FlagHandle inflight = writer.define("inflight", FlagKind.COUNTER, 0).handle();
        List<Executable> writes = List.of(
                () -> writer.set(inflight, 1),
                () -> writer.setUntil(inflight, 1, Long.MAX_VALUE),
                () -> writer.addAndGet(inflight, 1),
                () -> writer.compareAndSet(inflight, 0, 1));

        for (Executable write : writes) {
            FlagFileException e = assertThrows(FlagFileException.class, write);
            assertEquals(FlagFileException.Reason.COUNTER_NOT_WRITABLE, e.reason());
            assertTrue(e.getMessage().endsWith("\"inflight\" is a counter published by the maintd daemon; it cannot be set by hand"),
                    e.getMessage());
        }
        assertEquals(0, inflight.get());
    }

    @Test
    void theDaemonPublishesCounters() {
        FlagHandle inflight = writer.define("inflight", FlagKind.COUNTER, 0).handle();

        try (DaemonLock lock = writer.lockForDaemon()) {
            lock.publish(inflight, 7);
        }

        assertEquals(7, inflight.get());
    }

    @Test
    void unknownFlagErrorListsTheKnownOnes() {
        writer.define("maint", FlagKind.FLAG, 0);
        writer.define("drain", FlagKind.FLAG, 0);

        FlagFileException e = assertThrows(FlagFileException.class, () -> reader.handle("mant"));

        assertEquals(FlagFileException.Reason.UNKNOWN_FLAG, e.reason());
        assertTrue(e.getMessage().endsWith("no flag \"mant\" (known: maint, drain)"), e.getMessage());
    }

    @Test
    void readOnlyMappingHasNoWriter() {
        try (FlagFile readOnly = FlagFile.openReadOnly(file.path())) {
            assertThrows(IllegalStateException.class, readOnly::writer);
        }
    }
}
