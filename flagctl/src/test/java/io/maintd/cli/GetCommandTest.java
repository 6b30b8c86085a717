package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GetCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheBareValueForScripts() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "maint", "1");
        CliRun run = CliRun.on(file, "get", "maint");
        assertEquals(0, run.code, run::toString);
        assertEquals("1\n", run.out);
        assertEquals("", run.err);
    }

    @Test
    void readsDaemonCounters() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        FlagFiles.addCounter(file, "inflight", 12);
        assertEquals("12\n", CliRun.on(file, "get", "inflight").out);
    }

    @Test
    void unknownFlagIsExit3WithSuggestion() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "get", "drian");
        assertEquals(3, run.code, run::toString);
        assertTrue(run.err.contains("no flag \"drian\"; did you mean \"drain\"?"), run::toString);
        assertEquals("", run.out);
    }

    @Test
    void fileWithoutFlagsSaysHowToCreateOne() {
        Path file = dir.resolve("flags");
        CliRun.on(file, "init");
        CliRun run = CliRun.on(file, "get", "maint");
        assertEquals(3, run.code, run::toString);
        assertTrue(run.err.contains("has no flags yet (create one with: flagctl create maint)"), run::toString);
    }
}
