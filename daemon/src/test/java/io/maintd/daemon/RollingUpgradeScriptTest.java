package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagFile;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd/rolling-upgrade.sh run for real against a running maintd and the real bin/flagctl,
 * with an upgrade hook that does what the package upgrade plus restart would: SIGTERM the old
 * daemon, wait for it to exit, start the new one on the same flag file.
 */
@Timeout(180)
class RollingUpgradeScriptTest {
    @TempDir
    Path dir;

    private HeldBackend backend;
    private MaintdProcess old;
    private Path pidFile;

    /** A short window, so "no balancer probes this instance" is known a second after the start. */
    private static final String CONFIG = "balancers: { window: 1s }";

    @BeforeEach
    void start() throws Exception {
        backend = new HeldBackend("one");
        old = MaintdProcess.start(MaintdProcess.config(dir, backend.port(), CONFIG), Map.of());
        old.pinPorts(dir.resolve("maintd.yaml"), backend.port(), CONFIG);
        pidFile = Files.writeString(dir.resolve("maintd.pid"), Long.toString(old.pid()));
    }

    @AfterEach
    void stop() throws Exception {
        ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroyForcibly);
        old.close();
        backend.close();
    }

    /** The hook: stop the running daemon gracefully, then start the "upgraded" one in the background. */
    private Path restartHook() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path hook = dir.resolve("restart-maintd.sh");
        Files.writeString(hook, String.join("\n",
                "#!/usr/bin/env bash",
                "set -euo pipefail",
                "pid=$(cat '" + pidFile + "')",
                "kill -TERM \"$pid\"",
                "for _ in $(seq 600); do kill -0 \"$pid\" 2>/dev/null || break; sleep 0.1; done",
                "! kill -0 \"$pid\" 2>/dev/null",
                "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' " + MaintdMain.class.getName()
                        + " --config '" + dir.resolve("maintd.yaml") + "' > '" + dir.resolve("new.log") + "' 2>&1 &",
                "echo $! > '" + pidFile + "'",
                ""), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        return hook;
    }

    private String runUpgrade(String health) throws Exception {
        Path root = MaintdProcess.repositoryRoot();
        Process script = new ProcessBuilder(root.resolve("systemd/rolling-upgrade.sh").toString(), "upgrade",
                "--flags", dir.resolve("flags").toString(), "--flagctl", root.resolve("bin/flagctl").toString(),
                "--health-url", health, "--lb-notice", "0", "--drain-timeout", "30s", "--health-timeout", "60",
                "--no-restart", "--reason", "test upgrade", "--", restartHook().toString())
                .redirectErrorStream(true).start();
        String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(script.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, script.exitValue(), output);
        return output;
    }

    /** A load balancer's HTTP health check: GET /healthz every 200 ms until stopped. */
    private static Thread healthChecker(String health) {
        Thread checker = new Thread(() -> {
            HttpClient client = HttpClient.newHttpClient();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    client.send(HttpRequest.newBuilder(URI.create(health)).build(), HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception daemonRestarting) {
                    // The daemon is between processes: try again at the next interval.
                }
            }
        }, "health-checker");
        checker.setDaemon(true);
        checker.start();
        return checker;
    }

    @Test
    void withABalancerCheckingHealthTheUpgradeWaitsUntilItNoticedTheDrain() throws Exception {
        String health = "http://127.0.0.1:" + old.port("admin") + "/healthz";
        Thread checker = healthChecker(health);
        try {
            String output = runUpgrade(health);
            assertTrue(output.contains("waiting up to 60s for the load balancers to notice drain"), output);
            assertTrue(output.contains("noticed: 1 balancer(s) told drain"), output);
            assertTrue(output.contains("the load balancers noticed drain"), output);
            assertTrue(output.indexOf("the load balancers noticed drain") < output.indexOf("waiting up to 30s for in-flight"),
                    output);
        } finally {
            checker.interrupt();
        }
    }

    @Test
    void upgradeDrainsWaitsRunsTheHookAndPutsTheNewDaemonBackIntoThePool() throws Exception {
        String health = "http://127.0.0.1:" + old.port("admin") + "/healthz";
        String output = runUpgrade(health);
        assertTrue(output.contains("no load balancer probes this instance; giving any other 0 (--lb-notice) to see drain"),
                output);
        assertEquals(0, old.awaitExit(), "the old daemon drained and exited cleanly:\n" + old.log());
        long newPid = Long.parseLong(Files.readString(pidFile).strip());
        assertNotEquals(old.pid(), newPid);
        HttpResponse<String> healthz = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(health)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, healthz.statusCode(), "the new daemon is back in the pool");
        try (FlagFile flags = FlagFile.openReadOnly(dir.resolve("flags"))) {
            assertEquals(0, flags.reader().handle("drain").get());
        }
        for (String step : List.of("draining (reason: test upgrade)", "waiting up to 30s for in-flight requests",
                "running hook", "still drained", "healthy, back in the pool")) {
            assertTrue(output.contains(step), "missing step '" + step + "' in:\n" + output);
        }
    }
}
