package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 5 against a real daemon: another process truncates, rewrites or replaces the
 * flag file under it. It must keep serving on the last known values, say so at ERROR, and keep
 * its monitor (heartbeat, expiries, counters) alive.
 */
@Timeout(180)
class DamagedFlagFileTest {
    @TempDir
    Path dir;

    private HeldBackend backend;
    private MaintdProcess maintd;
    private Path flags;

    @BeforeEach
    void start() throws Exception {
        backend = new HeldBackend("app");
        maintd = MaintdProcess.start(MaintdProcess.config(dir, backend.port(), "agent: 127.0.0.1:0"), Map.of());
        flags = dir.resolve("flags");
    }

    @AfterEach
    void stop() throws Exception {
        maintd.close();
        backend.close();
    }

    @Test
    void aTruncatedFileKeepsMaintenanceServedAndIsWrittenBack() throws Exception {
        MaintdProcess.flagctl(flags, "set", "maint", "1");
        maintd.awaitAgent("maint\n");

        run("truncate", "-s", "0", flags.toString());

        String error = maintd.awaitLog("flag file " + flags + " was truncated to 0 bytes");
        assertTrue(error.contains(" SEVERE "), error);
        assertTrue(error.contains("wrote them back to the file"), error);
        assertEquals(503, maintd.get("http", "/").statusCode(), "the maintenance page");
        HttpResponse<String> health = maintd.get("admin", "/healthz");
        assertEquals(503, health.statusCode());
        assertEquals("maint\n", health.body());
        assertEquals("maint\n", maintd.agentLine());
        assertEquals("1", MaintdProcess.flagctl(flags, "get", "maint").strip(), "the file has its values back");
        assertMonitorWorks();
    }

    @Test
    void theMonitorWorksAfterTheBytesAreWrittenBackByHand() throws Exception {
        byte[] saved = Files.readAllBytes(flags);
        run("truncate", "-s", "0", flags.toString());
        maintd.awaitLog("flag file " + flags + " was truncated to 0 bytes");

        Files.write(flags, saved); // what an operator restoring a backup does (O_TRUNC, then write)

        assertEquals(200, maintd.get("http", "/").statusCode());
        assertEquals(200, maintd.get("admin", "/healthz").statusCode());
        assertMonitorWorks();
        assertTrue(maintd.get("admin", "/status").body().contains("\"flags_file_state\":\"intact\""));
    }

    @Test
    void aReplacedFileIsReportedInTheLogAndStatus() throws Exception {
        Path other = dir.resolve("other");
        FlagFile.createIfMissing(other, 16, FlagFile.DEFAULT_MODE, null);
        Path link = dir.resolve("flags.link");
        Files.createSymbolicLink(link, other);
        Files.move(link, flags, StandardCopyOption.REPLACE_EXISTING);

        String error = maintd.awaitLog("flag file " + flags + " was replaced by a symbolic link to " + other);

        assertTrue(error.contains(" SEVERE "), error);
        String status = maintd.get("admin", "/status").body();
        assertTrue(status.contains("\"flags_file_state\":\"replaced\""), status);
        assertTrue(status.contains("\"flags_file_problem\":\"flag file " + flags + " was replaced by a symbolic link to "),
                status);
        assertEquals(200, maintd.get("http", "/").statusCode(), "still serving on its own file");
    }

    @Test
    void aFileReplacedByACopyIsReportedByFlagctlStatus() throws Exception {
        Path copy = dir.resolve("flags.copy");
        Files.copy(flags, copy, StandardCopyOption.COPY_ATTRIBUTES);
        Files.move(copy, flags, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        maintd.awaitLog("flag file " + flags + " was replaced by another file");

        String status = MaintdProcess.flagctl(flags, "status");

        assertTrue(status.contains("daemon:   not serving this file: maintd pid " + maintd.pid()
                + " runs but holds no lock on this file"), status);
        assertTrue(MaintdProcess.flagctl(flags, "--json", "status").contains("\"problem\":\"maintd pid " + maintd.pid()));
    }

    @Test
    void aDeletedFileIsReportedInTheLogAndStatus() throws Exception {
        Files.delete(flags);

        maintd.awaitLog("flag file " + flags + " was deleted: maintd keeps serving");

        assertTrue(maintd.get("admin", "/status").body().contains("\"flags_file_state\":\"deleted\""));
        assertEquals(200, maintd.get("http", "/").statusCode());
    }

    /** Heartbeat moving, a --for expiry reverted, the request counter counting: the monitor is alive. */
    private void assertMonitorWorks() throws Exception {
        long heartbeat = heartbeat();
        MaintdProcess.await(() -> heartbeat() > heartbeat, "the heartbeat to move");

        MaintdProcess.flagctl(flags, "set", "drain", "1", "--for", "1s");
        maintd.awaitLog("flag drain 1 -> 0 by pid " + maintd.pid());
        String audit = MaintdProcess.flagctl(flags, "log", "-n", "1");
        assertTrue(audit.contains(" pid=" + maintd.pid() + " op=revert flag=drain old=1 new=0 expires=- reason=\"--for expired\""),
                audit);

        long requests = counter("requests");
        maintd.get("http", "/");
        MaintdProcess.await(() -> counter("requests") > requests, "the requests counter to count");
    }

    private long heartbeat() {
        try (FlagFile file = FlagFile.openReadOnly(flags)) {
            return file.reader().daemon().heartbeatAtMillis();
        }
    }

    private long counter(String name) {
        try (FlagFile file = FlagFile.openReadOnly(flags)) {
            return file.reader().handle(name).get();
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + " failed");
    }
}
