package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.DaemonLock;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {
    @TempDir
    Path dir;

    @Test
    void withoutDaemonSaysSoAndModeIsReady() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "status");
        assertEquals(0, run.code, run::toString);
        assertTrue(run.out.contains("daemon:   not running (never started on this file)\n"), run.out);
        assertTrue(run.out.contains("mode:     ready (maint=0, drain=0)\n"), run.out);
        assertTrue(run.out.contains("counters: conns=- inflight=- requests=- (not live: no daemon)\n"), run.out);
        assertTrue(run.out.contains("backends: -\n"), run.out);
        assertTrue(run.out.contains("expiring: none\n"), run.out);
    }

    @Test
    void drainFlagMeansDrainMode() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "drain", "1");
        assertTrue(CliRun.on(file, "status").out.contains("mode:     drain (maint=0, drain=1)"));
    }

    @Test
    void maintWinsOverDrain() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "drain", "1");
        CliRun.on(file, "set", "maint", "1");
        assertTrue(CliRun.on(file, "status").out.contains("mode:     maint (maint=1, drain=1)"));
    }

    @Test
    void liveDaemonIsShownWithPidAndItsCounters() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        try (FlagFile f = FlagFile.openReadWrite(file); DaemonLock daemon = f.writer().lockForDaemon()) {
            FlagWriter w = f.writer();
            daemon.publish(w.define("conns", FlagKind.COUNTER, 0).handle(), 3);
            daemon.publish(w.define("inflight", FlagKind.COUNTER, 0).handle(), 1);
            daemon.publish(w.define("requests", FlagKind.COUNTER, 0).handle(), 1024);
            daemon.heartbeat();
            CliRun run = CliRun.on(file, "status");
            assertTrue(run.out.contains("daemon:   alive, pid " + ProcessHandle.current().pid() + ", heartbeat "), run.out);
            assertTrue(run.out.contains("counters: conns=3 inflight=1 requests=1024\n"), run.out);
            CliRun json = CliRun.on(file, "--json", "status");
            assertTrue(json.out.contains("\"daemon\":{\"alive\":true,\"pid\":" + ProcessHandle.current().pid()), json.out);
            assertTrue(json.out.contains("\"counters\":{\"conns\":3,\"inflight\":1,\"requests\":1024}"), json.out);
        }
    }

    @Test
    void backendHealthCountersAreShownPerBackend() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        try (FlagFile f = FlagFile.openReadWrite(file); DaemonLock daemon = f.writer().lockForDaemon()) {
            FlagWriter w = f.writer();
            daemon.publish(w.define("backends_up", FlagKind.COUNTER, 0).handle(), 1);
            daemon.publish(w.define("servers_up.app", FlagKind.COUNTER, 0).handle(), 2);
            daemon.publish(w.define("servers_up.api", FlagKind.COUNTER, 0).handle(), 0);
            // An operator's flag with the prefix is not the daemon's count.
            w.define("servers_up.fake", FlagKind.FLAG, 5);
            daemon.heartbeat();
            CliRun run = CliRun.on(file, "status");
            assertTrue(run.out.contains("backends: 1 up (servers up: app=2, api=0)\n"), run.out);
            CliRun json = CliRun.on(file, "--json", "status");
            assertTrue(json.out.contains("\"backends\":{\"backends_up\":1,\"servers_up\":{\"app\":2,\"api\":0}}"), json.out);
        }
    }

    @Test
    void daemonThatExitedCleanlyIsNotRunning() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        try (FlagFile f = FlagFile.openReadWrite(file); DaemonLock daemon = f.writer().lockForDaemon()) {
            daemon.heartbeat();
        }
        CliRun run = CliRun.on(file, "status");
        assertTrue(run.out.contains("daemon:   not running (last heartbeat "), run.out);
    }

    @Test
    void expiringFlagsAreListedWithTimeLeftAndAWarning() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "maint", "1", "--for", "2h");
        CliRun run = CliRun.on(file, "status");
        assertTrue(run.out.matches("(?s).*expiring: maint=1 in (1h59m|2h0m) -> 0 \\(at \\d{4}-.*Z\\)\n.*"), run.out);
        assertTrue(run.err.contains("warning: no maintd daemon is alive"), run::toString);
    }

    @Test
    void jsonGivesModeAndMissingCountersAsNull() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "--json", "status");
        assertTrue(run.out.contains("\"mode\":\"ready\",\"maint\":0,\"drain\":0,"
                + "\"counters\":{\"conns\":null,\"inflight\":null,\"requests\":null},"
                + "\"backends\":{\"backends_up\":null,\"servers_up\":{}},"
                + "\"balancers\":{\"noticed\":null,\"balancers\":null,\"daemon_mode\":null},\"expiring\":[],\"windows\":[]}"), run.out);
    }
}
