package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A file that is not a valid layout v1 file is refused with the reason and a message that
 * names the file and the problem, and opening it, even read-write, never changes a byte.
 */
class FlagFileValidationTest {
    private static final int SLOTS = 16;
    private static final int FIRST_SLOT = slotOffset(0);

    @TempDir
    Path dir;
    private Path file;

    /** One way a flag file can be damaged; the test damages a valid file this way. */
    private record Damage(String description, Mutation mutation, FlagFileException.Reason reason, String problem) {
        @Override
        public String toString() {
            return description;
        }
    }

    private interface Mutation {
        void apply(FileChannel channel) throws IOException;
    }

    static Stream<Damage> damages() {
        return Stream.of(
                new Damage("empty file", ch -> ch.truncate(0), FlagFileException.Reason.CORRUPT, "file is empty (0 bytes)"),
                new Damage("shorter than the header", ch -> ch.truncate(100), FlagFileException.Reason.CORRUPT,
                        "truncated: 100 bytes, but the header alone is 4096"),
                new Damage("slots cut off", ch -> ch.truncate(fileLength(3)), FlagFileException.Reason.CORRUPT,
                        "16 slots of 128 bytes need 6144 bytes, but the file has 4480 (truncated)"),
                new Damage("wrong magic", ch -> putInt(ch, MAGIC_OFFSET, 0x4B4E554A), FlagFileException.Reason.CORRUPT,
                        "bad magic 0x4B4E554A at offset 0"),
                new Damage("newer layout version", ch -> putInt(ch, VERSION_OFFSET, 3), FlagFileException.Reason.UNSUPPORTED_VERSION,
                        "layout version 3 is newer than this maintd understands (2)"),
                new Damage("window with a bad name", ch -> {
                    putLong(ch, windowOffset(0) + WINDOW_STARTS_AT_OFFSET, 1000);
                    putLong(ch, windowOffset(0) + WINDOW_ENDS_AT_OFFSET, 2000);
                    putInt(ch, windowOffset(0) + WINDOW_NAME_LENGTH_OFFSET, 5);
                    putBytes(ch, windowOffset(0) + WINDOW_NAME_OFFSET, "MAINT");
                }, FlagFileException.Reason.CORRUPT, "window 0 (offset 2048): flag name \"MAINT\" has 'M' at position 1"),
                new Damage("window that ends before it starts", ch -> {
                    putLong(ch, windowOffset(1) + WINDOW_STARTS_AT_OFFSET, 2000);
                    putLong(ch, windowOffset(1) + WINDOW_ENDS_AT_OFFSET, 1000);
                    putInt(ch, windowOffset(1) + WINDOW_NAME_LENGTH_OFFSET, 5);
                    putBytes(ch, windowOffset(1) + WINDOW_NAME_OFFSET, "maint");
                }, FlagFileException.Reason.CORRUPT, "window 1 (offset 2176) for \"maint\" ends (1000) before it starts (2000)"),
                new Damage("layout version zero", ch -> putInt(ch, VERSION_OFFSET, 0), FlagFileException.Reason.CORRUPT,
                        "layout version 0 at offset 4 is not valid"),
                new Damage("other header length", ch -> putInt(ch, HEADER_LENGTH_OFFSET, 2048), FlagFileException.Reason.CORRUPT,
                        "header length 2048 (expected 4096)"),
                new Damage("other slot length", ch -> putInt(ch, SLOT_LENGTH_OFFSET, 64), FlagFileException.Reason.CORRUPT,
                        "slot length 64 (expected 128)"),
                new Damage("slot count larger than the file", ch -> putInt(ch, SLOT_COUNT_OFFSET, SLOTS + 1), FlagFileException.Reason.CORRUPT,
                        "geometry does not fit the file: 17 slots of 128 bytes need 6272 bytes, but the file has 6144"),
                new Damage("slot count smaller than the file", ch -> putInt(ch, SLOT_COUNT_OFFSET, SLOTS - 1), FlagFileException.Reason.CORRUPT,
                        "15 slots of 128 bytes need 6016 bytes, but the file has 6144"),
                new Damage("slot count zero", ch -> putInt(ch, SLOT_COUNT_OFFSET, 0), FlagFileException.Reason.CORRUPT,
                        "slot count 0 is outside 1..65536"),
                new Damage("garbage bytes", FlagFileValidationTest::overwriteWithGarbage, FlagFileException.Reason.CORRUPT, "bad magic"),
                new Damage("unknown slot state", ch -> putInt(ch, FIRST_SLOT + STATE_OFFSET, 9), FlagFileException.Reason.CORRUPT,
                        "slot 0 (offset 4096) has state 9; expected 0, 1 or 2"),
                new Damage("unknown slot kind", ch -> putInt(ch, FIRST_SLOT + KIND_OFFSET, 7), FlagFileException.Reason.CORRUPT,
                        "slot 0 (offset 4096) has kind 7; expected 0 or 1"),
                new Damage("slot name length zero", ch -> putInt(ch, FIRST_SLOT + NAME_LENGTH_OFFSET, 0), FlagFileException.Reason.CORRUPT,
                        "slot 0 (offset 4096) has name length 0; expected 1..63"),
                new Damage("slot name length over 63", ch -> putInt(ch, FIRST_SLOT + NAME_LENGTH_OFFSET, 64), FlagFileException.Reason.CORRUPT,
                        "has name length 64"),
                new Damage("slot name with upper case", ch -> putBytes(ch, FIRST_SLOT + NAME_OFFSET, "M"), FlagFileException.Reason.CORRUPT,
                        "slot 0 (offset 4096): flag name \"Maint\" has 'M' at position 1"),
                new Damage("two slots with one name", ch -> putBytes(ch, slotOffset(1) + NAME_OFFSET, "maint"), FlagFileException.Reason.CORRUPT,
                        "slot 1 (offset 4224) repeats the name \"maint\""));
    }

    @BeforeEach
    void createValidFile() {
        file = dir.resolve("flags");
        FlagFile.createIfMissing(file, SLOTS, FlagFile.DEFAULT_MODE, null);
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            f.writer().define("maint", FlagKind.FLAG, 1);
            f.writer().define("other", FlagKind.FLAG, 0); // same length as "maint": a duplicate needs only new bytes
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void damagedFileIsRefusedForWritingAndLeftUntouched(Damage damage) throws IOException {
        damage(damage);
        byte[] before = sha256(file);

        assertRefused(damage, FlagFile::openReadWrite);
        assertArrayEquals(before, sha256(file), "the file's bytes changed during a refused open");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void damagedFileIsRefusedForReading(Damage damage) throws IOException {
        damage(damage);

        assertRefused(damage, FlagFile::openReadOnly);
    }

    private void damage(Damage damage) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            damage.mutation().apply(ch);
            ch.force(true);
        }
    }

    private void assertRefused(Damage damage, Function<Path, FlagFile> open) {
        FlagFileException e = assertThrows(FlagFileException.class, () -> open.apply(file).close());
        assertEquals(damage.reason(), e.reason(), e.getMessage());
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file + ": "), "message should name the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(damage.problem()), "message should say \"" + damage.problem() + "\": " + e.getMessage());
    }

    private static void putInt(FileChannel ch, long offset, int value) throws IOException {
        ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value), offset);
    }

    private static void putLong(FileChannel ch, long offset, long value) throws IOException {
        ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), offset);
    }

    private static void putBytes(FileChannel ch, long offset, String ascii) throws IOException {
        ch.write(ByteBuffer.wrap(ascii.getBytes(StandardCharsets.US_ASCII)), offset);
    }

    private static void overwriteWithGarbage(FileChannel ch) throws IOException {
        byte[] garbage = new byte[(int) ch.size()];
        new Random(42).nextBytes(garbage);
        ch.write(ByteBuffer.wrap(garbage), 0);
    }

    static byte[] sha256(Path path) throws IOException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(path));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
