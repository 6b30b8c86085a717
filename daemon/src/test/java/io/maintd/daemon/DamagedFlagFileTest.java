package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagFile;
import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.MaintdProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 5 against a real daemon: another process truncates, rewrites or replaces the
 * flag file under it. It must keep serving on the last known values, say so at ERROR, and keep
 * its monitor (heartbeat, expiries, counters) alive.
 */
@Timeout(180)
class DamagedFlagFileTest {
    @RegisterExtension
    final DaemonWithAgent daemon = new DaemonWithAgent();

    @Test
    void aTruncatedFileKeepsMaintenanceServedAndIsWrittenBack() throws Exception {
        FlagctlRun.run(daemon.flags, "set", "maint", "1").ok();
        daemon.maintd.awaitAgent("maint up\n");
        awaitSavedAfter("flag maint 0 -> 1");

        run("truncate", "-s", "0", daemon.flags.toString());

        String error = daemon.maintd.awaitLog("flag file " + daemon.flags + " was truncated to 0 bytes");
        assertTrue(error.contains(" SEVERE "), error);
        assertTrue(error.contains("wrote them back to the file"), error);
        assertEquals(503, daemon.maintd.get(daemon.maintd.proxy("/")).statusCode(), "the maintenance page");
        HttpResponse<String> health = daemon.maintd.get(daemon.maintd.admin("/healthz"));
        assertEquals(503, health.statusCode());
        assertEquals("maint\n", health.body());
        assertEquals("maint up\n", daemon.maintd.agentLine());
        assertEquals("1", FlagctlRun.run(daemon.flags, "get", "maint").ok().out().strip(), "the file has its values back");
        assertMonitorWorks();
    }

    @Test
    void theMonitorWorksAfterTheBytesAreWrittenBackByHand() throws Exception {
        byte[] saved = Files.readAllBytes(daemon.flags);
        run("truncate", "-s", "0", daemon.flags.toString());
        daemon.maintd.awaitLog("flag file " + daemon.flags + " was truncated to 0 bytes");

        Files.write(daemon.flags, saved); // what an operator restoring a backup does (O_TRUNC, then write)

        assertEquals(200, daemon.maintd.get(daemon.maintd.proxy("/")).statusCode());
        assertEquals(200, daemon.maintd.get(daemon.maintd.admin("/healthz")).statusCode());
        assertMonitorWorks();
        assertTrue(daemon.maintd.get(daemon.maintd.admin("/status")).body().contains("\"flags_file_state\":\"intact\""));
    }

    @Test
    void aReplacedFileIsReportedInTheLogAndStatus() throws Exception {
        Path other = daemon.dir.resolve("other");
        FlagFile.createIfMissing(other, 16, FlagFile.DEFAULT_MODE, null);
        Path link = daemon.dir.resolve("flags.link");
        Files.createSymbolicLink(link, other);
        Files.move(link, daemon.flags, StandardCopyOption.REPLACE_EXISTING);

        String error = daemon.maintd.awaitLog("flag file " + daemon.flags + " was replaced by a symbolic link to " + other);

        assertTrue(error.contains(" SEVERE "), error);
        String status = daemon.maintd.get(daemon.maintd.admin("/status")).body();
        assertTrue(status.contains("\"flags_file_state\":\"replaced\""), status);
        assertTrue(status.contains("\"flags_file_problem\":\"flag file " + daemon.flags + " was replaced by a symbolic link to "),
                status);
        assertEquals(200, daemon.maintd.get(daemon.maintd.proxy("/")).statusCode(), "still serving on its own file");
    }

    @Test
    void aFileReplacedByACopyIsReportedByFlagctlStatus() throws Exception {
        Path copy = daemon.dir.resolve("flags.copy");
        Files.copy(daemon.flags, copy, StandardCopyOption.COPY_ATTRIBUTES);
        Files.move(copy, daemon.flags, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        daemon.maintd.awaitLog("flag file " + daemon.flags + " was replaced by another file");

        String status = FlagctlRun.run(daemon.flags, "status").ok().out();

        assertTrue(status.contains("daemon:   not serving this file: maintd pid " + daemon.maintd.pid()
                + " runs but holds no lock on this file"), status);
        assertTrue(FlagctlRun.run(daemon.flags, "--json", "status").ok().out().contains("\"problem\":\"maintd pid " + daemon.maintd.pid()));
    }

    @Test
    void aDeletedFileIsReportedInTheLogAndStatus() throws Exception {
        Files.delete(daemon.flags);

        daemon.maintd.awaitLog("flag file " + daemon.flags + " was deleted: maintd keeps serving");

        assertTrue(daemon.maintd.get(daemon.maintd.admin("/status")).body().contains("\"flags_file_state\":\"deleted\""));
        assertEquals(200, daemon.maintd.get(daemon.maintd.proxy("/")).statusCode());
    }

    /** Heartbeat moving, a --for expiry reverted, the request counter counting: the monitor is alive. */
    private void assertMonitorWorks() throws Exception {
        long heartbeat = heartbeat();
        MaintdProcess.await(() -> heartbeat() > heartbeat, "the heartbeat to move");

        FlagctlRun.run(daemon.flags, "set", "drain", "1", "--for", "1s").ok();
        daemon.maintd.awaitLog("flag drain 1 -> 0 by pid " + daemon.maintd.pid());
        String audit = FlagctlRun.run(daemon.flags, "log", "-n", "1").ok().out();
        assertTrue(audit.contains(" pid=" + daemon.maintd.pid() + " op=revert flag=drain old=1 new=0 expires=- reason=\"--for expired\""),
                audit);

        long requests = counter("requests");
        daemon.maintd.get(daemon.maintd.proxy("/"));
        MaintdProcess.await(() -> counter("requests") > requests, "the requests counter to count");
    }

    /**
     * Waits until the monitor's saved copy holds the write that {@code flip} logs: the copy is
     * taken at the end of the tick that logs the flip (a write less than a tick old when the
     * file is truncated is lost, docs/operations.md), and a heartbeat written after that line
     * comes from a later tick.
     */
    private void awaitSavedAfter(String flip) throws Exception {
        daemon.maintd.awaitLog(flip);
        long heartbeat = heartbeat();
        MaintdProcess.await(() -> heartbeat() > heartbeat, "a tick after the one that logged " + flip);
    }

    private long heartbeat() {
        try (FlagFile file = FlagFile.openReadOnly(daemon.flags)) {
            return file.reader().daemon().heartbeatAtMillis();
        }
    }

    private long counter(String name) {
        try (FlagFile file = FlagFile.openReadOnly(daemon.flags)) {
            return file.reader().handle(name).get();
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + " failed");
    }
}
