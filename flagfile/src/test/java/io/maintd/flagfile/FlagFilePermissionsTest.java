package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Who may open the file how: reading needs read permission only; writing is refused plainly. */
@Timeout(60)
class FlagFilePermissionsTest {
    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void createFile() throws IOException {
        file = dir.resolve("flags");
        FlagFile.createIfMissing(file, 16, FlagFile.DEFAULT_MODE, null);
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            f.writer().define("maint", FlagKind.FLAG, 1);
        }
        // The unprivileged child must be able to reach the file; only the file's mode varies.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void readOnlyOpenWorksWithoutWritePermission() throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));

        assertEquals("ok 1", openInUnprivilegedChild("read"));
    }

    @Test
    void writeOpenWithoutWritePermissionIsDeniedWithTheReason() throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));

        String refusal = openInUnprivilegedChild("write");

        assertTrue(refusal.startsWith("refused PERMISSION_DENIED " + file + ": permission denied opening for writing (mode r--r--r--"),
                refusal);
        assertTrue(refusal.endsWith("; you are uid " + ChildJvm.unprivilegedUid() + ")"), refusal);
    }

    @Test
    void worldWritableFileIsRefusedForWritingAndLeftUntouched() throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        byte[] before = FlagFileValidationTest.sha256(file);

        FlagFileException e = assertThrows(FlagFileException.class, () -> FlagFile.openReadWrite(file).close());

        assertEquals(FlagFileException.Reason.WORLD_WRITABLE, e.reason());
        assertTrue(e.getMessage().startsWith(file + ": refusing to write: the flag file is world-writable (mode rw-rw-rw-)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("chmod o-w " + file), e.getMessage());
        assertArrayEquals(before, FlagFileValidationTest.sha256(file));
    }

    @Test
    void worldWritableFileMayStillBeRead() throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        try (FlagFile f = FlagFile.openReadOnly(file)) {
            assertEquals(1, f.reader().handle("maint").get());
        }
    }

    @Test
    void missingFileIsReportedAsNotFound() {
        Path missing = dir.resolve("absent");

        FlagFileException e = assertThrows(FlagFileException.class, () -> FlagFile.openReadOnly(missing).close());

        assertEquals(FlagFileException.Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().startsWith(missing + ": no such flag file"), e.getMessage());
    }

    private String openInUnprivilegedChild(String mode) {
        try (ChildJvm child = ChildJvm.startAsUnprivilegedUser("open", file.toString(), mode, "maint")) {
            String line = child.expectLine("");
            assertEquals(0, child.awaitExit());
            return line;
        }
    }
}
