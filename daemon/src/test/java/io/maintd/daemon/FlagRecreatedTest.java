package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagKind;
import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.MaintdProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 1 against a real daemon: a flag deleted and created again (while the daemon
 * runs, by the real flagctl) is followed by every part that reads it — proxy rules, /healthz,
 * the agent check and /status — and a deleted flag reads as absent, never as the flag that took
 * its slot.
 */
@Timeout(180)
class FlagRecreatedTest {
    @RegisterExtension
    final DaemonWithAgent daemon = new DaemonWithAgent();

    @Test
    void theIssuesReproductionEndsInTheMaintenanceTheRecreatedFlagAsksFor() throws Exception {
        flagctl("delete", "maint");
        flagctl("create", "foo");
        flagctl("set", "foo", "1");
        daemon.maintd.awaitLog("flag maint deleted (it was 0 in slot 0); maintd reads it as absent (0)");
        assertEveryPartSays("ready");

        flagctl("create", "maint");
        flagctl("set", "foo", "0");
        flagctl("set", "maint", "1");
        daemon.maintd.awaitAgent("maint up\n");
        assertEveryPartSays("maint");

        flagctl("set", "maint", "0");
        daemon.maintd.awaitAgent("ready 100% up\n");
        assertEveryPartSays("ready");
    }

    @Test
    void deletingMaintWhileItIsOnTakesTheHostOutOfMaintenance() throws Exception {
        flagctl("set", "maint", "1");
        daemon.maintd.awaitAgent("maint up\n");

        flagctl("delete", "maint");

        daemon.maintd.awaitAgent("ready 100% up\n");
        assertEveryPartSays("ready");
        String warning = daemon.maintd.awaitLog("flag maint deleted (it was 1 in slot 0)");
        assertTrue(warning.contains("WARNING"), warning);
    }

    @Test
    void aCounterSomeoneDeletedIsDefinedAgainByTheDaemon() throws Exception {
        try (FlagFile other = FlagFile.openReadWrite(daemon.flags)) {
            assertTrue(other.writer().delete("requests"));
            // One tick may see the deletion and the daemon's new definition together, or the
            // deletion in one tick and the definition in the next: both are the facts.
            MaintdProcess.await(() -> {
                String log = daemon.maintd.log();
                return log.contains("counter requests deleted and created again")
                        || log.contains("counter requests deleted (it was") && log.contains("counter requests created in slot");
            }, "the daemon to log the deletion of its counter and define it again");
            assertEquals(FlagKind.COUNTER, other.reader().handle("requests").kind());
        }
        daemon.maintd.get(daemon.maintd.proxy("/"));
        MaintdProcess.await(() -> flagctl("get", "requests").strip().equals("1"), "the re-defined counter to count the request");
    }

    /** The proxy's rules, /healthz, /status and the agent check all report {@code mode}. */
    private void assertEveryPartSays(String mode) throws Exception {
        boolean ready = mode.equals("ready");
        HttpResponse<String> page = daemon.maintd.get(daemon.maintd.proxy("/"));
        assertEquals(ready ? 200 : 503, page.statusCode(), page.body());
        if (ready) {
            assertEquals("backend app\n", page.body());
        }
        HttpResponse<String> health = daemon.maintd.get(daemon.maintd.admin("/healthz"));
        assertEquals(ready ? 200 : 503, health.statusCode());
        assertEquals(mode + "\n", health.body());
        assertTrue(daemon.maintd.get(daemon.maintd.admin("/status")).body().contains("\"mode\":\"" + mode + "\""));
        assertEquals(ready ? "ready 100% up\n" : mode + " up\n", daemon.maintd.agentLine());
    }

    private String flagctl(String... args) throws Exception {
        return FlagctlRun.run(daemon.flags, args).ok().out();
    }
}
