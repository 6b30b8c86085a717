package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class WaitCommandTest {
    @TempDir
    Path dir;

    @Test
    void conditionAlreadyTrueReturnsAtOnce() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "wait", "maint", "--le", "0");
        assertEquals(0, run.code, run::toString);
        assertTrue(run.out.startsWith("maint = 0 (<= 0) after "), run.out);
    }

    @Test
    void returnsOnceAnotherWriterMakesItTrue() throws Exception {
        Path file = FlagFiles.withMaintAndDrain(dir);
        BackgroundRun wait = BackgroundRun.start("--file", file.toString(), "wait", "drain", "--ge", "3");
        wait.awaitStderr("waiting for drain >= 3 (now 0)");
        CliRun.on(file, "set", "drain", "2");
        CliRun.on(file, "set", "drain", "3");
        assertEquals(0, wait.exitCode(), wait::toString);
        assertTrue(wait.stdout().startsWith("drain = 3 (>= 3) after "), wait::toString);
    }

    @Test
    void timeoutIsExit7WithTheValueItSaw() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "wait", "maint", "--eq", "1", "--timeout", "200ms");
        assertEquals(7, run.code, run::toString);
        assertTrue(run.err.contains("timed out after 200ms waiting for maint == 1 (it is 0)"), run::toString);
    }

    @Test
    void timeoutWithJsonReportsUnsatisfied() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "--json", "wait", "maint", "--eq", "1", "--timeout", "50ms");
        assertEquals(7, run.code, run::toString);
        assertTrue(run.out.startsWith("{\"name\":\"maint\",\"condition\":\"==\",\"target\":1,\"value\":0,\"satisfied\":false,"),
                run.out);
    }

    /** Exit 2 and what to write, before the flag file is touched. */
    @ParameterizedTest(name = "wait {0}")
    @CsvSource(delimiter = '|', textBlock = """
            maint                              | missing condition: give one of --eq N, --le N, --ge N
            maint --le 1 --ge 0                | give only one of --eq, --le, --ge (got --le and --ge)
            maint --eq 1 --timeout 60          | --timeout '60' needs a unit
            """)
    void aBadConditionOrTimeoutIsAUsageError(String arguments, String message) {
        Path file = FlagFiles.withMaintAndDrain(dir);
        List<String> args = new ArrayList<>(List.of("wait"));
        args.addAll(List.of(arguments.split(" ")));
        CliRun run = CliRun.on(file, args.toArray(new String[0]));
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains(message), run::toString);
    }

    @Test
    void unknownFlagIsExit3() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "wait", "inflight", "--le", "0", "--timeout", "1s");
        assertEquals(3, run.code, run::toString);
        assertTrue(run.err.contains("no flag \"inflight\""), run::toString);
    }

    @Test
    void counterWithoutDaemonWarnsItIsNotUpdated() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        FlagFiles.addCounter(file, "inflight", 2);
        CliRun run = CliRun.on(file, "wait", "inflight", "--le", "0", "--timeout", "10ms");
        assertEquals(7, run.code, run::toString);
        assertTrue(run.err.contains("no maintd daemon is alive on " + file + ", so counter inflight is not being updated"),
                run::toString);
    }

    @Test
    void flagDeletedWhileWaitingIsExit3() throws Exception {
        Path file = FlagFiles.withMaintAndDrain(dir);
        BackgroundRun wait = BackgroundRun.start("--file", file.toString(), "wait", "drain", "--eq", "9");
        wait.awaitStderr("waiting for drain == 9");
        CliRun.on(file, "delete", "drain");
        assertEquals(3, wait.exitCode(), wait::toString);
        assertTrue(wait.stderr().contains("flag \"drain\" was deleted while waiting"), wait::toString);
    }

    @Test
    void interruptEndsTheWaitWith130() throws Exception {
        Path file = FlagFiles.withMaintAndDrain(dir);
        BackgroundRun wait = BackgroundRun.start("--file", file.toString(), "wait", "drain", "--eq", "9");
        wait.awaitStderr("waiting for drain == 9");
        wait.interrupt();
        assertEquals(130, wait.exitCode(), wait::toString);
    }
}
