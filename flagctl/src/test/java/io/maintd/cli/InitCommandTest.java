package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {
    @TempDir
    Path dir;

    @Test
    void createsTheFileWithMode0660AndSaysSo() throws Exception {
        Path file = dir.resolve("flags");
        CliRun run = CliRun.on(file, "init");
        assertEquals(0, run.code, run::toString);
        assertTrue(run.out.startsWith("created " + file + ": 256 slots, mode 0660, group "), run.out);
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void secondInitLeavesTheFileUnchangedAndSaysSo() throws Exception {
        Path file = dir.resolve("flags");
        CliRun.on(file, "init", "--capacity", "8");
        CliRun.on(file, "create", "maint");
        byte[] before = Files.readAllBytes(file);
        CliRun run = CliRun.on(file, "init", "--capacity", "16");
        assertEquals(0, run.code, run::toString);
        assertTrue(run.out.startsWith(file + " already exists (8 slots, mode 0660"), run.out);
        assertTrue(run.out.contains("left unchanged; --capacity 16 ignored (recreate the file to change it)"), run.out);
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void modeIsTakenInOctal() throws Exception {
        Path file = dir.resolve("flags");
        CliRun run = CliRun.on(file, "--json", "init", "--mode", "0640", "--capacity", "4");
        assertEquals(0, run.code, run::toString);
        assertTrue(run.out.startsWith("{\"file\":\"" + file + "\",\"created\":true,\"capacity\":4,\"mode\":\"0640\""),
                run.out);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void auditLogGetsTheFileModeToo() throws Exception {
        Path file = dir.resolve("flags");
        CliRun.on(file, "init", "--mode", "0600");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(AuditLog.pathFor(file))));
    }

    @Test
    void worldWritableModeIsRefusedAndNothingCreated() {
        Path file = dir.resolve("flags");
        CliRun run = CliRun.on(file, "init", "--mode", "0666");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("--mode 0666 is world-writable"), run::toString);
        assertFalse(Files.exists(file));
    }

    @Test
    void capacityOutOfRangeIsRefused() {
        CliRun run = CliRun.on(dir.resolve("flags"), "init", "--capacity", "0");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("--capacity 0 is outside 1..65536"), run::toString);
    }

    @Test
    void missingDirectoryIsNotCreated() {
        Path file = dir.resolve("no/such/dir/flags");
        CliRun run = CliRun.on(file, "init");
        assertEquals(5, run.code, run::toString);
        assertTrue(run.err.contains("directory " + dir.resolve("no/such/dir") + " does not exist; flagctl init does not create it"),
                run::toString);
        assertFalse(Files.exists(dir.resolve("no")));
    }

    @Test
    void existingCorruptFileIsReportedNotReplaced() throws Exception {
        Path file = dir.resolve("flags");
        Files.write(file, new byte[] {1, 2, 3});
        CliRun run = CliRun.on(file, "init");
        assertEquals(5, run.code, run::toString);
        assertTrue(run.err.contains("truncated: 3 bytes"), run::toString);
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
    }
}
