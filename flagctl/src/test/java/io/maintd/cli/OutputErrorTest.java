package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Output nobody could write is a failure, whatever the command: {@code flagctl list > /dev/full} must not exit 0. */
class OutputErrorTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"list", "list --json", "get maint", "status", "log", "set maint 1", "--help", "list --help"})
    void aCommandWhoseOutputCannotBeWrittenExits1(String command) {
        Path file = FlagFiles.withMaintAndDrain(dir);

        CliRun run = CliRun.withFailingOutput(file, command.split(" "));

        assertEquals(1, run.code, run::toString);
        assertEquals("flagctl: cannot write to standard output (disk full, or the reader went away)\n", run.err);
    }
}
