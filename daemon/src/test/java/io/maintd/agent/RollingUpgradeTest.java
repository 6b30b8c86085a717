package io.maintd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.maintd.testsupport.HaproxyProcess;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.MaintdProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed scenario end to end: a real HAProxy in front of two real maintd processes (each with
 * its own flag file, backend and agent-check port), client load through HAProxy the whole time,
 * and for each instance in turn: drain with flagctl, see HAProxy show DRAIN, wait for in-flight
 * 0 with flagctl, SIGTERM, start it again on the same flag file, undrain, see HAProxy show UP.
 * Not one request may fail.
 */
@Timeout(300)
class RollingUpgradeTest {
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** One maintd with its own backend, flag file and fixed ports (so a restart comes back where HAProxy looks). */
    private static final class Instance implements AutoCloseable {
        final String name;
        final Path dir;
        final HeldBackend backend;
        Path config;
        MaintdProcess maintd;

        Instance(String name, Path dir) throws Exception {
            this.name = name;
            this.dir = Files.createDirectories(dir);
            this.backend = new HeldBackend(name);
        }

        void start() throws Exception {
            if (config == null) {
                maintd = MaintdProcess.start(MaintdProcess.config(dir, backend.port(), "agent: 127.0.0.1:0"), Map.of());
                config = maintd.pinPorts(dir.resolve("maintd.yaml"), backend.port(), "agent: AGENT");
            } else {
                maintd = MaintdProcess.start(config, Map.of());
            }
        }

        String serverLine() throws Exception {
            return "    server " + name + " 127.0.0.1:" + maintd.port("http") + " check inter 200ms"
                    + " agent-check agent-port " + maintd.port("agent") + " agent-inter 200ms\n";
        }

        String flagctl(String... args) throws Exception {
            return FlagctlRun.run(dir.resolve("flags"), args).ok().out();
        }

        @Override
        public void close() throws Exception {
            if (maintd != null) {
                maintd.close();
            }
            backend.close();
        }
    }

    @Test
    void drainStopStartUndrainEachInstanceLosesNoRequestAndBothServeAfter() throws Exception {
        try (Instance a = new Instance("a", dir.resolve("a")); Instance b = new Instance("b", dir.resolve("b"))) {
            a.start();
            b.start();
            int front = MaintdProcess.freePort();
            try (HaproxyProcess haproxy = HaproxyProcess.start(dir, "frontend www\n"
                    + "    bind 127.0.0.1:" + front + "\n"
                    + "    default_backend app\n"
                    + "backend app\n"
                    + "    balance roundrobin\n"
                    // Only a refused connect is retried (on the other instance): a request that reached
                    // maintd and lost its answer would be a failure here, not hidden by a retry.
                    + "    option redispatch\n"
                    + "    retries 3\n"
                    + "    retry-on conn-failure\n"
                    + a.serverLine() + b.serverLine())) {
                haproxy.awaitServerStatus("app", "a", "UP", SETTLE);
                haproxy.awaitServerStatus("app", "b", "UP", SETTLE);
                ClientLoad load = ClientLoad.start(URI.create("http://127.0.0.1:" + front + "/"), 2);
                try {
                    load.awaitServedBy("a", 1);
                    load.awaitServedBy("b", 1);
                    for (Instance instance : List.of(a, b)) {
                        upgrade(haproxy, instance);
                    }
                    long aBefore = load.servedBy("a");
                    long bBefore = load.servedBy("b");
                    load.awaitServedBy("a", aBefore + 1);
                    load.awaitServedBy("b", bBefore + 1);
                } finally {
                    load.stop();
                }
                assertEquals(List.of(), load.failures(), "responses other than 200, or errors");
                System.out.println("rolling upgrade: " + load.total() + " responses, a " + load.servedBy("a")
                        + ", b " + load.servedBy("b") + ", 0 failed");
            }
        }
    }

    private static void upgrade(HaproxyProcess haproxy, Instance instance) throws Exception {
        instance.flagctl("set", "drain", "1", "--reason", "rolling upgrade test");
        haproxy.awaitServerStatus("app", instance.name, "DRAIN", SETTLE);
        instance.flagctl("wait", "inflight", "--le", "0", "--timeout", "60s");
        instance.maintd.signal("TERM");
        assertEquals(0, instance.maintd.awaitExit(), instance.maintd.log());
        instance.start();
        instance.flagctl("set", "drain", "0", "--reason", "rolling upgrade test");
        haproxy.awaitServerStatus("app", instance.name, "UP", SETTLE);
    }

}
