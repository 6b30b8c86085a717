package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.AuditLog;
import io.maintd.flagfile.DaemonLock;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetCommandTest {
    @TempDir
    Path dir;

    @Test
    void setPrintsOldAndNewValue() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "set", "maint", "1");
        assertEquals(0, run.code, run::toString);
        assertEquals("maint: 0 -> 1\n", run.out);
        assertEquals(1, FlagFiles.value(file, "maint"));
    }

    @Test
    void setWithJsonPrintsOldAndNew() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "--json", "set", "maint", "3");
        assertEquals("{\"name\":\"maint\",\"old\":0,\"new\":3,\"expires_at\":null}\n", run.out);
    }

    @Test
    void unknownFlagSuggestsTheClosestListsTheKnownAndCreatesNothing() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "set", "mant", "1");
        assertEquals(3, run.code, run::toString);
        assertTrue(run.err.contains("no flag \"mant\"; did you mean \"maint\"? (known flags in " + file + ": maint, drain)"),
                run::toString);
        assertEquals("maint\ndrain\n", CliRun.on(file, "list", "--names").out);
    }

    @Test
    void unknownFlagFarFromEveryNameGetsNoSuggestion() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "set", "weight", "1");
        assertEquals(3, run.code, run::toString);
        assertTrue(run.err.contains("no flag \"weight\" (known flags in"), run::toString);
        assertFalse(run.err.contains("did you mean"), run::toString);
    }

    @Test
    void badValuesAreRefusedAndNothingIsWritten() throws Exception {
        Path file = FlagFiles.withMaintAndDrain(dir);
        byte[] before = Files.readAllBytes(file);
        long logLines = Files.readAllLines(AuditLog.pathFor(file)).size();
        String[][] cases = {
            {"abc", "value \"abc\" is not an integer"},
            {"1.5", "value \"1.5\" is not an integer"},
            {"9223372036854775808", "value \"9223372036854775808\" is out of range"},
        };
        for (String[] c : cases) {
            CliRun run = CliRun.on(file, "set", "maint", c[0]);
            assertEquals(2, run.code, run::toString);
            assertTrue(run.err.contains(c[1]), run::toString);
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(logLines, Files.readAllLines(AuditLog.pathFor(file)).size());
    }

    @Test
    void counterPublishedByTheDaemonIsRefused() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        FlagFiles.addCounter(file, "inflight", 4);
        CliRun run = CliRun.on(file, "set", "inflight", "0");
        assertEquals(4, run.code, run::toString);
        assertTrue(run.err.contains("\"inflight\" is a counter published by the maintd daemon; it cannot be changed by hand"),
                run::toString);
        assertEquals(4, FlagFiles.value(file, "inflight"));
    }

    @Test
    void forStoresTheExpiryAndTheValueToRevertTo() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        long before = System.currentTimeMillis();
        CliRun run = CliRun.on(file, "set", "maint", "1", "--for", "10m");
        long after = System.currentTimeMillis();
        assertEquals(0, run.code, run::toString);
        assertTrue(run.out.startsWith("maint: 0 -> 1 until "), run.out);
        assertTrue(run.out.endsWith(" (10m0s), then 0\n"), run.out);
        FlagSnapshot s = snapshot(file, "maint");
        assertEquals(1, s.value());
        assertEquals(0, s.revertValue());
        assertTrue(s.expiresAtMillis() >= before + 600_000 && s.expiresAtMillis() <= after + 600_000,
                () -> "expiry " + s.expiresAtMillis() + " outside [" + before + ", " + after + "] + 10m");
    }

    @Test
    void forOverAPendingForPrintsTheValueItWillRevertTo() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "maint", "1", "--for", "10m");

        CliRun text = CliRun.on(file, "set", "maint", "2", "--for", "20m");
        CliRun json = CliRun.on(file, "--json", "set", "maint", "3", "--for", "30m");

        assertTrue(text.out.startsWith("maint: 1 -> 2 until "), text.out);
        assertTrue(text.out.endsWith(" (20m0s), then 0\n"), "the window reverts to the 0 before it, not 1: " + text.out);
        assertTrue(json.out.contains("\"old\":2,\"new\":3,") && json.out.contains("\"reverts_to\":0}"), json.out);
        assertEquals(0, snapshot(file, "maint").revertValue());
    }

    @Test
    void forWithoutALiveDaemonWarnsThatNothingWillRevert() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "set", "maint", "1", "--for", "30s");
        assertEquals(0, run.code, run::toString);
        assertTrue(run.err.contains("warning: no maintd daemon is alive on " + file
                + ", so nothing will revert expiring flags or start windows until one runs"), run::toString);
    }

    @Test
    void forWithALiveDaemonDoesNotWarn() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        try (FlagFile daemonFile = FlagFile.openReadWrite(file);
             DaemonLock daemon = daemonFile.writer().lockForDaemon()) {
            daemon.heartbeat();
            CliRun run = CliRun.on(file, "set", "maint", "1", "--for", "30s");
            assertEquals(0, run.code, run::toString);
            assertEquals("", run.err);
        }
    }

    @Test
    void plainSetCancelsAPendingExpiry() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "maint", "1", "--for", "10m");
        CliRun.on(file, "set", "maint", "2");
        assertFalse(snapshot(file, "maint").expires());
    }

    @Test
    void worldWritableFileIsRefused() throws Exception {
        Path file = FlagFiles.withMaintAndDrain(dir);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        CliRun run = CliRun.on(file, "set", "maint", "1");
        assertEquals(4, run.code, run::toString);
        assertTrue(run.err.contains("refusing to write: the flag file is world-writable"), run::toString);
        assertEquals(0, FlagFiles.value(file, "maint"));
    }

    @Test
    void missingFileIsExit5WithHowToCreateIt() {
        CliRun run = CliRun.on(dir.resolve("nope"), "set", "maint", "1");
        assertEquals(5, run.code, run::toString);
        assertTrue(run.err.contains(dir.resolve("nope") + ": no such flag file (create it with 'flagctl init'"),
                run::toString);
    }

    @Test
    void corruptFileIsExit5AndLeftUntouched() throws Exception {
        Path file = dir.resolve("flags");
        byte[] garbage = new byte[4096 + 128];
        garbage[0] = 'X';
        Files.write(file, garbage);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        CliRun run = CliRun.on(file, "set", "maint", "1");
        assertEquals(5, run.code, run::toString);
        assertTrue(run.err.contains("bad magic"), run::toString);
        assertArrayEquals(garbage, Files.readAllBytes(file));
        assertFalse(Files.exists(AuditLog.pathFor(file)));
    }

    static FlagSnapshot snapshot(Path file, String name) {
        try (FlagFile f = FlagFile.openReadOnly(file)) {
            return f.reader().snapshot(f.reader().handle(name)).orElseThrow();
        }
    }
}
