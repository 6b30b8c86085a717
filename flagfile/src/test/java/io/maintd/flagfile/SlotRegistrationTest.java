package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registration word and slot reuse, step by step (FlagFileLayout, "Registration"). Most
 * cases use a writer without the reuse delay, so that the next define lands in the slot a
 * delete just freed: the registration alone must keep old handles from reading the new flag.
 * States other writers leave half-way (a crash, an older version) are written raw, as a
 * writer in another language would leave them.
 */
class SlotRegistrationTest {
    @TempDir
    Path dir;
    private FlagFile file;
    private FlagWriter writer;

    private FlagWriter open(int slots, long freeToReuseMillis) {
        Path path = dir.resolve("flags");
        FlagFile.createIfMissing(path, slots, FlagFile.DEFAULT_MODE, null);
        file = FlagFile.openReadWrite(path);
        writer = file.writer(freeToReuseMillis);
        return writer;
    }

    @AfterEach
    void close() {
        if (file != null) {
            file.close();
        }
    }

    @Test
    void everyDefineAndEveryDeleteIncrementsTheRegistration() {
        open(1, 0);
        FlagBuffer raw = file.buffer();
        int slot = slotOffset(0);

        writer.define("maint", FlagKind.FLAG, 0);
        assertEquals(1, raw.getInt(slot + REGISTRATION_OFFSET));
        assertEquals(1, writer.reader().list().get(0).registration());
        writer.delete("maint");
        assertEquals(2, raw.getInt(slot + REGISTRATION_OFFSET));
        writer.define("drain", FlagKind.FLAG, 0);
        assertEquals(3, raw.getInt(slot + REGISTRATION_OFFSET));
    }

    /** A one-slot file in which maint (1) was deleted and foo (7) defined in its slot; maint's old handle. */
    private FlagHandle maintReplacedByFoo() {
        open(1, 0);
        FlagHandle maint = writer.define("maint", FlagKind.FLAG, 1).handle();
        writer.delete("maint");
        writer.define("foo", FlagKind.FLAG, 7);
        return maint;
    }

    @Test
    void aHandleReadsAbsentNotTheFlagDefinedAfterItInItsSlot() {
        FlagHandle maint = maintReplacedByFoo();
        FlagHandle foo = writer.reader().handle("foo");

        assertEquals(maint.binding().slotOffset(), foo.slot() * SLOT_LENGTH + HEADER_LENGTH, "the slot was reused");
        assertEquals(0, maint.get(), "maint must not read foo's value");
        assertEquals(-1, maint.getOr(-1));
        assertFalse(maint.isPresent());
        assertEquals(7, foo.get());
    }

    @Test
    void writesThroughTheHandleOfADeletedFlagAreRefusedAndWriteNothing() {
        FlagHandle maint = maintReplacedByFoo();
        FlagHandle foo = writer.reader().handle("foo");
        long sequence = writer.reader().changeSequence();
        List<Executable> writes = List.of(
                () -> writer.set(maint, 5),
                () -> writer.setUntil(maint, 5, Long.MAX_VALUE),
                () -> writer.addAndGet(maint, 5),
                () -> writer.compareAndSet(maint, 7, 5));

        for (Executable write : writes) {
            FlagFileException e = assertThrows(FlagFileException.class, write);
            assertEquals(FlagFileException.Reason.UNKNOWN_FLAG, e.reason());
            assertTrue(e.getMessage().endsWith("flag \"maint\" was deleted; nothing written"), e.getMessage());
        }
        assertTrue(writer.revertIfExpired(maint, Long.MAX_VALUE).isEmpty());
        assertEquals(7, foo.get());
        assertEquals(sequence, writer.reader().changeSequence());
    }

    @Test
    void aDeletedCounterIsNotPublished() {
        open(1, 0);
        FlagHandle conns = writer.define("conns", FlagKind.COUNTER, 0).handle();
        writer.delete("conns");
        FlagHandle foo = writer.define("foo", FlagKind.FLAG, 7).handle();

        try (DaemonLock lock = writer.lockForDaemon()) {
            assertEquals(DaemonLock.Publication.DELETED, lock.publish(conns, 42));
        }

        assertEquals(7, foo.get());
    }

    @Test
    void refreshingBindsEveryHandleToWhereItsNameIsNow() {
        open(3, 0);
        FlagHandle maint = writer.define("maint", FlagKind.FLAG, 1).handle();
        // Another process (its own mapping and bindings) deletes maint and defines it again elsewhere.
        try (FlagFile other = FlagFile.openReadWrite(file.path())) {
            FlagWriter elsewhere = other.writer(0);
            elsewhere.delete("maint");
            elsewhere.define("foo", FlagKind.FLAG, 7);
            assertEquals(0, maint.get());
            writer.reader().refreshHandles();
            assertEquals(-1, maint.slot(), "absent until defined again");
            assertEquals(0, maint.get());

            elsewhere.define("maint", FlagKind.FLAG, 3);
            assertEquals(0, maint.get(), "still bound to absent until refreshed");
            writer.reader().refreshHandles();
        }

        assertEquals(3, maint.get());
        assertEquals(2, maint.slot());
        assertTrue(maint.isPresent());
        assertEquals(4, writer.addAndGet(maint, 1), "writes follow the new slot too");
    }

    @Test
    void aNameResolvesToOneHandleThatEveryHolderShares() {
        open(2, 0);
        FlagHandle defined = writer.define("maint", FlagKind.FLAG, 1).handle();

        assertSame(defined, writer.reader().find("maint").orElseThrow());
        assertSame(defined, file.reader().handle("maint"));
    }

    @Test
    void aDefinerCaughtMidWayLeavesOldHandlesAbsent() {
        open(1, 0);
        FlagHandle maint = writer.define("maint", FlagKind.FLAG, 1).handle();
        FlagBuffer raw = file.buffer();
        int slot = slotOffset(0);
        // What a define in progress has written by the time it stores the new value: the old
        // flag deleted, the slot reserving and counted again, the new initial value.
        writer.delete("maint");
        raw.putIntRelease(slot + STATE_OFFSET, STATE_RESERVING);
        raw.getAndAddInt(slot + REGISTRATION_OFFSET, 1);
        raw.putLongRelease(slot + VALUE_OFFSET, 99);

        assertEquals(0, maint.get());
        assertTrue(writer.reader().find("maint").isEmpty());
        assertEquals(List.of(), writer.reader().list(), "a reserving slot is nobody's flag");
    }

    @Test
    void aDeleteThatDidNotCountIsCountedByTheNextDefine() {
        open(1, 0);
        FlagHandle maint = writer.define("maint", FlagKind.FLAG, 1).handle();
        FlagBuffer raw = file.buffer();
        int slot = slotOffset(0);
        // A writer from before the registration word deletes: state free, name cleared, nothing counted.
        raw.putIntRelease(slot + STATE_OFFSET, STATE_FREE);
        raw.putInt(slot + NAME_LENGTH_OFFSET, 0);
        raw.putBytes(slot + NAME_OFFSET, new byte[MAX_NAME_LENGTH + 1]);
        assertEquals(1, maint.get(), "the old delete left the handle matching");

        FlagHandle foo = writer.define("foo", FlagKind.FLAG, 7).handle();

        assertEquals(0, foo.slot(), "the slot was reused");
        assertEquals(0, maint.get(), "the define's own increment stops maint matching");
        assertEquals(7, foo.get());
    }

    @Test
    void slotsFromBeforeTheRegistrationWordReadAndWriteAsBefore() throws IOException {
        open(2, 0);
        file.close();
        file = null;
        // A slot defined by a writer that kept offset 60 at 0 (layout v1 before registrations).
        try (FileChannel channel = FileChannel.open(dir.resolve("flags"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FlagBuffer raw = new FlagBuffer(channel.map(FileChannel.MapMode.READ_WRITE, 0, fileLength(2)));
            int slot = slotOffset(0);
            raw.putBytes(slot + NAME_OFFSET, "maint".getBytes(StandardCharsets.US_ASCII));
            raw.putInt(slot + NAME_LENGTH_OFFSET, 5);
            raw.putLong(slot + VALUE_OFFSET, 3);
            raw.putLong(slot + UPDATED_AT_OFFSET, 1);
            raw.putIntRelease(slot + STATE_OFFSET, STATE_ACTIVE);
        }
        file = FlagFile.openReadWrite(dir.resolve("flags"));
        FlagWriter writer = file.writer(0);
        FlagHandle maint = writer.reader().handle("maint");

        assertEquals(3, maint.get());
        assertEquals(3, writer.set(maint, 4));
        assertEquals(4, maint.get());
        assertTrue(writer.delete("maint"));
        assertEquals(0, maint.get(), "the first delete starts the count");
    }

    @Test
    void neverUsedSlotsAreTakenBeforeAFreedOne() {
        open(2, FREE_TO_REUSE_MILLIS);
        FlagHandle a = writer.define("a", FlagKind.FLAG, 0).handle();
        int freed = a.slot();
        writer.delete("a");

        FlagHandle b = writer.define("b", FlagKind.FLAG, 0).handle();

        assertEquals(1 - freed, b.slot());
    }

    @Test
    void aFreedSlotIsDefinedAgainOnlyOnceTheReuseDelayHasPassed() {
        open(1, FREE_TO_REUSE_MILLIS);
        writer.define("a", FlagKind.FLAG, 0);
        writer.delete("a");
        long freedAt = file.buffer().getLong(slotOffset(0) + UPDATED_AT_OFFSET);

        writer.define("b", FlagKind.FLAG, 0);

        long definedAt = writer.reader().list().get(0).updatedAtMillis();
        assertTrue(definedAt - freedAt >= FREE_TO_REUSE_MILLIS,
                "defined " + (definedAt - freedAt) + " ms after the delete freed the only slot");
    }
}
