package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateDeleteCommandTest {
    @TempDir
    Path dir;

    @Test
    void createMakesAFlagWithItsInitialValue() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "create", "weight", "--value", "100");
        assertEquals(0, run.code, run::toString);
        assertEquals("created weight = 100\n", run.out);
        assertEquals(100, FlagFiles.value(file, "weight"));
    }

    @Test
    void createOfAnExistingNameIsExit8AndKeepsTheValue() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "maint", "1");
        CliRun run = CliRun.on(file, "create", "maint", "--value", "0");
        assertEquals(8, run.code, run::toString);
        assertTrue(run.err.contains("flag \"maint\" already exists (value 1); nothing written"), run::toString);
        assertEquals(1, FlagFiles.value(file, "maint"));
    }

    @Test
    void createWithAnInvalidNameIsAUsageError() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "create", "Maint");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("flag name \"Maint\" has 'M' at position 1"), run::toString);
    }

    @Test
    void createInAFullFileIsExit1() {
        Path file = dir.resolve("flags");
        CliRun.on(file, "init", "--capacity", "1");
        CliRun.on(file, "create", "maint");
        CliRun run = CliRun.on(file, "create", "drain");
        assertEquals(1, run.code, run::toString);
        assertTrue(run.err.contains("no free slot for \"drain\""), run::toString);
    }

    @Test
    void deleteRemovesTheFlagAndSaysWhatItHeld() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "drain", "3");
        CliRun run = CliRun.on(file, "delete", "drain");
        assertEquals(0, run.code, run::toString);
        assertEquals("deleted drain (was 3)\n", run.out);
        assertEquals("maint\n", CliRun.on(file, "list", "--names").out);
    }

    @Test
    void deleteOfAnUnknownFlagIsExit3() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "delete", "drainn");
        assertEquals(3, run.code, run::toString);
        assertTrue(run.err.contains("did you mean \"drain\"?"), run::toString);
    }

    @Test
    void deleteOfADaemonCounterIsRefused() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        FlagFiles.addCounter(file, "conns", 2);
        CliRun run = CliRun.on(file, "delete", "conns");
        assertEquals(4, run.code, run::toString);
        assertEquals(2, FlagFiles.value(file, "conns"));
    }
}
