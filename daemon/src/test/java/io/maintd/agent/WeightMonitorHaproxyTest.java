package io.maintd.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.AuditLog;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagHandle;
import io.maintd.testsupport.DelayedBackend;
import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.HaproxyProcess;
import io.maintd.testsupport.MaintdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flagctl follow weight} under a synthetic CPU load (busy processes, one per CPU): the
 * monitor lowers {@code weight} from the daemon's {@code cpu_busy}, the daemon's agent reports it
 * as {@code ready N%}, and a real HAProxy's {@code show stat} shows the server's new weight.
 */
@Timeout(180)
class WeightMonitorHaproxyTest {
    @TempDir
    Path dir;

    @Test
    void busyCpusLowerTheWeightHaproxyGivesTheServer() throws Exception {
        List<Process> busy = new ArrayList<>();
        Process follow = null;
        try (DelayedBackend backend = new DelayedBackend(0);
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(dir, backend.port(), "agent: 127.0.0.1:0"), Map.of());
             FlagFile file = FlagFile.openReadOnly(dir.resolve("flags"));
             HaproxyProcess haproxy = HaproxyProcess.start(dir, "backend app\n    server s1 127.0.0.1:" + backend.port()
                     + " weight 100 check inter 1s agent-check agent-port " + maintd.port("agent") + " agent-inter 200ms\n")) {
            FlagHandle weight = file.reader().handle("weight");
            MaintdProcess.await(() -> haproxy.serverStat("app", "s1").get("status").equals("UP"), "s1 UP in HAProxy");

            // Bounded by `timeout` too, so a test whose JVM is killed leaves no process spinning past 120 s.
            for (int cpu = 0; cpu < Runtime.getRuntime().availableProcessors(); cpu++) {
                busy.add(new ProcessBuilder("timeout", "120", "sh", "-c", "while :; do :; done").start());
            }
            follow = FlagctlRun.start(dir.resolve("flags"), dir.resolve("follow.out"),
                    "follow", "weight", "--on", "80", "--off", "30", "--every", "300ms", "--for", "5s");
            MaintdProcess.await(() -> weight.get() == 20, "weight down to the profile's limit 20 under busy CPUs");
            MaintdProcess.await(() -> haproxy.serverStat("app", "s1").get("weight").equals("20"),
                    "HAProxy's show stat to give s1 weight 20 through the agent");

            String audit = String.join("\n", AuditLog.tail(AuditLog.pathFor(dir.resolve("flags")), 100));
            assertTrue(audit.contains("op=follow flag=weight old=100 new=90 ")
                    && audit.contains("reason=\"flagctl follow weight: cpu_busy="), audit);
            assertTrue(Files.readString(dir.resolve("follow.out")).contains(" weight 30 -> 20 until "),
                    Files.readString(dir.resolve("follow.out")));
        } finally {
            // The spinning shell is timeout's child: SIGKILL to timeout alone would orphan it, and it
            // would spin on without the 120 s bound (found after CI: two spun for 85 min).
            for (Process spinner : busy) {
                spinner.descendants().forEach(ProcessHandle::destroyForcibly);
                spinner.destroyForcibly();
            }
            if (follow != null) {
                follow.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
