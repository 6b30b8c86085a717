package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.AuditLog;
import io.maintd.flagfile.DaemonLock;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagSnapshot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowCommandTest {
    @TempDir
    Path dir;

    private Path shedFile(long p99) {
        Path file = FlagFiles.withMaintAndDrain(dir);
        FlagFiles.expectOk(CliRun.on(file, "create", "shed"));
        FlagFiles.addCounter(file, "latency_p99_ms", p99);
        return file;
    }

    /** Runs flagctl on {@code file} while this process holds the daemon lock with a fresh heartbeat, as a live maintd would. */
    private static CliRun withLiveDaemon(Path file, String... args) {
        try (FlagFile daemonFile = FlagFile.openReadWrite(file);
             DaemonLock daemon = daemonFile.writer().lockForDaemon()) {
            daemon.heartbeat();
            return CliRun.on(file, args);
        }
    }

    @Test
    void highLatencyRaisesShedOneStepPerTickEachWriteExpiringAndAudited() {
        Path file = shedFile(800);
        long before = System.currentTimeMillis();
        CliRun run = withLiveDaemon(file, "follow", "shed", "--every", "100ms", "--for", "20s", "--count", "2");
        assertEquals(0, run.code, run::toString);
        try (FlagFile daemonFile = FlagFile.openReadOnly(file)) {
            assertTrue(run.out.contains(" shed 0 -> 10 until "), run.out);
            assertTrue(run.out.contains(" shed 10 -> 20 until "), run.out);
            assertTrue(run.out.contains("(latency_p99_ms=800 >= on 500)"), run.out);
            FlagSnapshot shed = daemonFile.reader().snapshot(daemonFile.reader().handle("shed")).orElseThrow();
            assertEquals(20, shed.value());
            assertTrue(shed.expires() && shed.expiresAtMillis() >= before + 20_000, "written with --for 20s");
            assertEquals(0, shed.revertValue(), "reverts to the value from before the monitor");
            List<String> audit = AuditLog.tail(AuditLog.pathFor(file), 2);
            assertEquals(2, audit.size(), audit::toString);
            for (String line : audit) {
                assertTrue(line.contains(" op=follow flag=shed ") && line.contains(
                        "reason=\"flagctl follow shed: latency_p99_ms=800 >= on 500\""), line);
                assertTrue(!line.contains("expires=-"), line);
            }
        }
    }

    @Test
    void jsonLinesCarryTheFactAndTheExpiry() {
        Path file = shedFile(900);
        CliRun run = withLiveDaemon(file, "--json", "follow", "shed", "--every", "100ms", "--for", "5s", "--count", "1");
        assertEquals(0, run.code, run::toString);
        assertTrue(run.out.matches("\\{\"time\":\"[^\"]+\",\"name\":\"shed\",\"old\":0,\"new\":10,\"expires_at\":\"[^\"]+\","
                + "\"reverts_to\":0,\"fact\":\"latency_p99_ms\",\"fact_value\":900,\"reason\":\"latency_p99_ms=900 >= on 500\"}\n"),
                run.out);
    }

    @Test
    void settingsThatCannotBeSafeAreUsageErrorsAndWriteNothing() {
        Path file = shedFile(800);
        for (String[] args : new String[][] {
                {"follow", "shed", "--on", "100", "--off", "200"},
                {"follow", "shed", "--for", "2s"},
                {"follow", "shed", "--limit", "150"},
                {"follow", "shed", "--every", "0s"},
                {"follow", "shed", "--step", "0"},
                {"follow", "shed", "--on", "lots"},
                {"follow", "shedding"}}) {
            CliRun run = CliRun.on(file, args);
            assertEquals(2, run.code, () -> String.join(" ", args) + ": " + run);
            assertTrue(run.err.startsWith("flagctl: "), run::toString);
        }
        assertEquals(0, FlagFiles.value(file, "shed"));
        assertTrue(AuditLog.tail(AuditLog.pathFor(file), 10).stream().noneMatch(l -> l.contains("op=follow")));
    }

    @Test
    void aMissingFactIsAnUnknownFlag() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        FlagFiles.expectOk(CliRun.on(file, "create", "weight"));
        CliRun run = CliRun.on(file, "follow", "weight");
        assertEquals(3, run.code, run::toString);
        assertTrue(run.err.contains("cpu_busy"), run::toString);
    }
}
