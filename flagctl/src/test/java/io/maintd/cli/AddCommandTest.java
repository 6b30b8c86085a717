package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddCommandTest {
    @TempDir
    Path dir;

    @Test
    void incrPrintsTheNewValue() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        assertEquals("1\n", CliRun.on(file, "incr", "drain").out);
        assertEquals("6\n", CliRun.on(file, "incr", "drain", "5").out);
    }

    @Test
    void decrSubtracts() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        assertEquals("-1\n", CliRun.on(file, "decr", "drain").out);
        assertEquals("-4\n", CliRun.on(file, "decr", "drain", "3").out);
        assertEquals(-4, FlagFiles.value(file, "drain"));
    }

    @Test
    void nonIntegerStepIsRefused() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "incr", "drain", "two");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("step \"two\" is not an integer"), run::toString);
        assertEquals(0, FlagFiles.value(file, "drain"));
    }

    @Test
    void counterCannotBeIncremented() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        FlagFiles.addCounter(file, "requests", 100);
        CliRun run = CliRun.on(file, "incr", "requests");
        assertEquals(4, run.code, run::toString);
        assertTrue(run.err.contains("is a counter published by the maintd daemon"), run::toString);
        assertEquals(100, FlagFiles.value(file, "requests"));
    }

    @Test
    void unknownFlagIsExit3() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "decr", "mait");
        assertEquals(3, run.code, run::toString);
        assertTrue(run.err.contains("did you mean \"maint\"?"), run::toString);
    }
}
