package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CasCommandTest {
    @TempDir
    Path dir;

    @Test
    void winningCasSetsAndPrintsTheChange() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "cas", "maint", "0", "1");
        assertEquals(0, run.code, run::toString);
        assertEquals("maint: 0 -> 1\n", run.out);
        assertEquals(1, FlagFiles.value(file, "maint"));
    }

    @Test
    void losingCasIsExit6AndWritesNothing() throws Exception {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "maint", "2");
        long logLines = Files.readAllLines(AuditLog.pathFor(file)).size();
        CliRun run = CliRun.on(file, "cas", "maint", "0", "1");
        assertEquals(6, run.code, run::toString);
        assertTrue(run.err.contains("cas lost: maint is 2, not 0; nothing written"), run::toString);
        assertEquals(2, FlagFiles.value(file, "maint"));
        assertEquals(logLines, Files.readAllLines(AuditLog.pathFor(file)).size());
    }

    @Test
    void losingCasWithJsonReportsTheCurrentValue() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "--json", "cas", "maint", "5", "1");
        assertEquals(6, run.code, run::toString);
        assertEquals("{\"name\":\"maint\",\"swapped\":false,\"expected\":5,\"value\":0}\n", run.out);
    }

    @Test
    void nonIntegerExpectedIsAUsageError() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "cas", "maint", "zero", "1");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("expected value \"zero\" is not an integer"), run::toString);
    }
}
