package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.fileLength;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's defence against another process truncating, growing, deleting or replacing its
 * flag file. The damage is done through another descriptor or path, as another process would;
 * nothing here reads the mapping while its file is short (that would fault), except through the
 * keeper, which checks first.
 */
@Timeout(120)
class FlagFileKeeperTest {
    private static final int SLOTS = 8;

    @TempDir
    Path dir;
    private Path path;
    private FlagFile file;
    private FlagWriter writer;
    private FlagHandle maint;
    private FlagFileKeeper keeper;

    @BeforeEach
    void open() {
        path = dir.resolve("flags");
        FlagFile.createIfMissing(path, SLOTS, FlagFile.DEFAULT_MODE, null);
        file = FlagFile.openReadWrite(path);
        writer = file.writer();
        maint = writer.define("maint", FlagKind.FLAG, 0).handle();
        keeper = FlagFileKeeper.of(file);
        writer.set(maint, 1);
        keeper.save(System.currentTimeMillis());
    }

    @AfterEach
    void close() {
        file.close();
    }

    @Test
    void aTruncatedFileIsWrittenBackWithItsLengthAndValues() throws IOException {
        truncate(0);

        FlagFileKeeper.Event event = keeper.check(System.currentTimeMillis());

        assertTrue(event.error());
        assertTrue(event.message().startsWith("flag file " + path + " was truncated to 0 bytes (of " + fileLength(SLOTS)
                + ") by another process; serving its last known values (change sequence "), event.message());
        assertTrue(event.message().endsWith("wrote them back to the file (" + fileLength(SLOTS) + " bytes), serving from it again"),
                event.message());
        assertEquals(fileLength(SLOTS), Files.size(path));
        assertFalse(keeper.servingFromCopy());
        assertEquals(FlagFileKeeper.State.INTACT, keeper.condition().state());
        assertEquals(1, maint.get());
        try (FlagFile reopened = FlagFile.openReadOnly(path)) {
            assertEquals(1, reopened.reader().handle("maint").get(), "another process sees the values again");
        }
        assertNull(keeper.check(System.currentTimeMillis()), "reported once");
    }

    @Test
    void valuesWrittenAfterTheLastSaveAreWhatSaveCopies() throws IOException {
        writer.set(maint, 5);
        keeper.save(System.currentTimeMillis());
        truncate(4096);

        keeper.check(System.currentTimeMillis());

        assertEquals(5, maint.get());
    }

    @Test
    void aGrownFileIsCutBackToItsLength() throws IOException {
        try (FileChannel other = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            other.write(ByteBuffer.wrap("junk\n".getBytes()));
        }

        FlagFileKeeper.Event event = keeper.check(System.currentTimeMillis());

        assertTrue(event.message().contains("grew to " + (fileLength(SLOTS) + 5) + " bytes"), event.message());
        assertEquals(fileLength(SLOTS), Files.size(path));
        FlagFile.openReadOnly(path).close();
    }

    @Test
    void aFileThatCannotBeWrittenBackIsServedFromMemoryUntilAnotherProcessRestoresIt() throws IOException {
        file.close();
        byte[] saved = Files.readAllBytes(path);
        // The child may write 4 KB into a file: enough to run, too little to write the file back.
        try (ChildJvm daemon = ChildJvm.startWithFileSizeLimit(4096, "keep", path.toString(), "maint")) {
            daemon.expectLine("keeping");
            truncate(0);

            daemon.send("check");
            String event = daemon.expectLine("checked error ");
            assertTrue(event.contains("was truncated to 0 bytes") && event.contains("writing them back failed"), event);
            assertEquals("1 WRONG_LENGTH", daemon.expectLine("read "), "the last known value, served from memory");
            daemon.send("check");
            assertEquals("-", daemon.expectLine("checked "), "a failing write-back is reported once");
            assertEquals("1 WRONG_LENGTH", daemon.expectLine("read "));

            Files.write(path, saved);
            daemon.send("check");
            assertEquals("ok flag file " + path + " was written back by another process; serving from it again",
                    daemon.expectLine("checked "));
            assertEquals("1 INTACT", daemon.expectLine("read "));
            assertEquals(0, daemon.awaitExit());
        }
        file = FlagFile.openReadOnly(path);
    }

    @Test
    void aDeletedPathIsReportedOnceAndSoIsItsReturn() throws IOException {
        Path elsewhere = dir.resolve("flags.link");
        Files.createLink(elsewhere, path);
        Files.delete(path);

        FlagFileKeeper.Event deleted = keeper.check(System.currentTimeMillis());

        assertTrue(deleted.error());
        assertTrue(deleted.message().startsWith("flag file " + path + " was deleted: maintd keeps serving"), deleted.message());
        assertEquals(FlagFileKeeper.State.DELETED, keeper.condition().state());
        assertNull(keeper.check(System.currentTimeMillis()));
        assertEquals(1, maint.get(), "the mapping outlives the name");

        Files.createLink(path, elsewhere);
        FlagFileKeeper.Event back = keeper.check(System.currentTimeMillis());

        assertFalse(back.error());
        assertEquals("flag file " + path + " names the file maintd serves again (it was deleted)", back.message());
        assertEquals(FlagFileKeeper.State.INTACT, keeper.condition().state());
    }

    @Test
    void aPathReplacedByASymbolicLinkNamesItsTarget() throws IOException {
        Path other = dir.resolve("other-flags");
        FlagFile.createIfMissing(other, SLOTS, FlagFile.DEFAULT_MODE, null);
        Path link = dir.resolve("flags.new");
        Files.createSymbolicLink(link, other);
        Files.move(link, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        FlagFileKeeper.Event replaced = keeper.check(System.currentTimeMillis());

        assertTrue(replaced.error());
        assertTrue(replaced.message().startsWith("flag file " + path + " was replaced by a symbolic link to " + other
                + ": flagctl now changes that file"), replaced.message());
        assertEquals(FlagFileKeeper.State.REPLACED, keeper.condition().state());
    }

    private void truncate(long size) throws IOException {
        try (FileChannel other = FileChannel.open(path, StandardOpenOption.WRITE)) {
            other.truncate(size);
        }
    }
}
