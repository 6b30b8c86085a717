package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.command.Option;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line itself: commands, options, positionals, the file, help. */
class CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void unknownOptionIsAUsageErrorNamingTheCommand() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "set", "maint", "1", "--fro", "10m");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("unknown option --fro for 'flagctl set'"), run::toString);
        assertEquals(0, FlagFiles.value(file, "maint"));
    }

    @Test
    void missingArgumentIsNamedWithTheUsage() {
        CliRun run = CliRun.on(dir.resolve("flags"), "set", "maint");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("missing VALUE; usage: flagctl set NAME VALUE [--for DURATION] [--at WHEN] [--reason TEXT]"),
                run::toString);
    }

    @Test
    void extraArgumentIsRefused() {
        CliRun run = CliRun.on(dir.resolve("flags"), "get", "maint", "extra");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("unexpected argument \"extra\""), run::toString);
    }

    @Test
    void optionWithoutItsValueIsRefused() {
        CliRun run = CliRun.on(dir.resolve("flags"), "set", "maint", "1", "--for");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("option --for needs a value (DURATION)"), run::toString);
    }

    @Test
    void optionGivenTwiceIsRefused() {
        CliRun run = CliRun.on(dir.resolve("flags"), "set", "maint", "1", "--for", "1m", "--for=2m");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("option --for given twice"), run::toString);
    }

    @Test
    void negativeNumberIsAValueNotAnOption() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "set", "maint", "-5");
        assertEquals(0, run.code, run::toString);
        assertEquals("maint: 0 -> -5\n", run.out);
    }

    @Test
    void unknownCommandSuggestsTheClosest() {
        CliRun run = CliRun.run("sett", "maint", "1");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("unknown command \"sett\"; did you mean \"set\"?"), run::toString);
    }

    @Test
    void swappedLettersSuggestTheCommandMeant() {
        CliRun run = CliRun.run("lsit");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("unknown command \"lsit\"; did you mean \"list\"?"), run::toString);
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun run = CliRun.run("--json");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("no command given"), run::toString);
    }

    @Test
    void globalOptionsMayFollowTheCommand() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.run("get", "maint", "--json", "--file", file.toString());
        assertEquals(0, run.code, run::toString);
        assertEquals("{\"name\":\"maint\",\"value\":0}\n", run.out);
    }

    @Test
    void flagFileComesFromTheEnvironmentWhenNotGiven() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "drain", "7");
        CliRun run = CliRun.run(Map.of("MAINTD_FLAGS", file.toString()), "get", "drain");
        assertEquals(0, run.code, run::toString);
        assertEquals("7\n", run.out);
    }

    @Test
    void fileOptionWinsOverTheEnvironment() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.run(Map.of("MAINTD_FLAGS", dir.resolve("elsewhere").toString()),
                "--file", file.toString(), "get", "maint");
        assertEquals(0, run.code, run::toString);
    }

    @Test
    void topHelpListsEveryCommandAndEveryExitCode() {
        CliRun run = CliRun.run("--help");
        assertEquals(0, run.code, run::toString);
        for (Command c : CommandSet.standard().all()) {
            assertTrue(run.out.contains("  " + c.spec().name + " "), () -> c.spec().name + " missing:\n" + run.out);
        }
        for (ExitCode c : ExitCode.values()) {
            assertTrue(run.out.contains("  " + c.code + " "), () -> c + " missing:\n" + run.out);
        }
        assertTrue(run.out.contains("MAINTD_FLAGS"), run.out);
    }

    @Test
    void everyCommandHasHelpGeneratedFromItsDeclarations() {
        for (Command c : CommandSet.standard().all()) {
            CliRun run = CliRun.run(c.spec().name, "--help");
            assertEquals(0, run.code, run::toString);
            assertTrue(run.out.startsWith("usage: flagctl " + c.spec().name), run.out);
            for (Option o : c.spec().options()) {
                assertTrue(run.out.contains("--" + o.name), () -> o.name + " missing:\n" + run.out);
            }
            assertTrue(run.out.contains("exit codes:\n  0 "), run.out);
            assertTrue(run.out.contains("  7    wait: the timeout passed"), run.out);
        }
    }

    @Test
    void helpCommandExplainsOneCommand() {
        CliRun run = CliRun.run("help", "wait");
        assertEquals(0, run.code, run::toString);
        assertTrue(run.out.startsWith("usage: flagctl wait NAME [--eq N] [--le N] [--ge N] [--conns] [--timeout DURATION]"), run.out);
    }
}
