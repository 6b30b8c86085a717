package io.maintd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.HaproxyProcess;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "The balancer noticed" with a real HAProxy: agent checks every 250 ms on one backend and HTTP
 * checks of {@code /healthz} every 250 ms on another, both against one real maintd. After a
 * {@code flagctl set}, {@code flagctl wait noticed} returns once both have been answered the new
 * state, and by then HAProxy shows it. Without a balancer, it never passes.
 */
@Timeout(180)
class BalancerNoticedTest {
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path dir;

    @Test
    void waitNoticedReturnsOnceHaproxyWasToldAndHaproxyShowsItByThen() throws Exception {
        try (HeldBackend backend = new HeldBackend("app");
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(Files.createDirectories(dir.resolve("m")),
                     backend.port(), "agent: 127.0.0.1:0"), Map.of());
             HaproxyProcess haproxy = HaproxyProcess.start(dir, "backend agent\n"
                     + "    server s1 127.0.0.1:" + maintd.port("http") + " check inter 250ms agent-check agent-port "
                     + maintd.port("agent") + " agent-inter 250ms\n"
                     + "backend health\n"
                     + "    option httpchk GET /healthz\n"
                     + "    server s1 127.0.0.1:" + maintd.port("admin") + " check inter 250ms fall 1 rise 1\n")) {
            Path flags = dir.resolve("m/flags");
            awaitStatus(haproxy, "agent", "UP");
            awaitStatus(haproxy, "health", "UP");
            assertEquals(0, FlagctlRun.run(flags, "wait", "noticed", "--timeout", "60s").exit(),
                    "both balancers have been told ready since the start");

            FlagctlRun.run(flags, "set", "drain", "1").ok();
            long started = System.nanoTime();
            FlagctlRun noticed = FlagctlRun.run(flags, "wait", "noticed", "--timeout", "60s");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertEquals(0, noticed.exit(), noticed.toString());
            assertTrue(noticed.toString().contains("noticed: 2 balancer(s) told drain"), noticed.toString());
            // Told means applied: HAProxy acts on an agent reply or a failed check as it reads it.
            assertTrue(stat(haproxy, "agent").startsWith("DRAIN"), stat(haproxy, "agent"));
            assertTrue(stat(haproxy, "health").startsWith("DOWN"), stat(haproxy, "health"));
            System.out.println("wait noticed returned " + tookMillis + " ms after it started (agent-inter 250 ms; not asserted)");

            String status = adminStatus(maintd);
            assertTrue(status.contains("\"noticed\":{\"state\":\"noticed\",\"mode\":\"drain\",\"mode_since\":\"20"), status);
            assertTrue(status.contains("{\"via\":\"agent\",\"address\":\"127.0.0.1\",\"last_probe_at\":\"20"), status);
            assertTrue(status.contains("{\"via\":\"healthz\",\"address\":\"127.0.0.1\",\"last_probe_at\":\"20"), status);
            assertTrue(FlagctlRun.run(flags, "status").ok().out().contains("noticed:  yes, by 2 balancer(s) (the daemon answers drain)"));

            FlagctlRun.run(flags, "set", "drain", "0").ok();
            assertEquals(0, FlagctlRun.run(flags, "wait", "drained", "--timeout", "60s").exit());
            assertTrue(stat(haproxy, "agent").startsWith("UP"), stat(haproxy, "agent"));
        }
    }

    @Test
    void withoutABalancerWaitNoticedDoesNotPass() throws Exception {
        try (HeldBackend backend = new HeldBackend("app");
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(Files.createDirectories(dir.resolve("m")),
                     backend.port(), "agent: 127.0.0.1:0"), Map.of())) {
            Path flags = dir.resolve("m/flags");
            FlagctlRun.run(flags, "set", "drain", "1").ok();
            // Within the first window (a minute) nobody has probed yet, which may still change: no pass.
            FlagctlRun early = FlagctlRun.run(flags, "wait", "noticed", "--timeout", "1s");
            assertEquals(7, early.exit(), early.toString());
        }
    }

    @Test
    void withoutABalancerForAWholeWindowWaitNoticedSaysSoWithExit9() throws Exception {
        try (HeldBackend backend = new HeldBackend("app");
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(Files.createDirectories(dir.resolve("m")),
                     backend.port(), "agent: 127.0.0.1:0\nbalancers: { window: 1s }"), Map.of())) {
            Path flags = dir.resolve("m/flags");
            FlagctlRun.run(flags, "set", "drain", "1").ok();
            FlagctlRun run = FlagctlRun.run(flags, "wait", "noticed", "--timeout", "60s");
            assertEquals(13, run.exit(), run.toString());
            assertTrue(run.toString().contains("no load balancer has probed the daemon (agent port or /healthz) within its"
                    + " window (balancers.window), so nothing can notice drain"), run.toString());
            assertEquals(13, FlagctlRun.run(flags, "wait", "drained", "--timeout", "60s").exit());
        }
    }

    private static String adminStatus(MaintdProcess maintd) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + maintd.port("admin")
                + "/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String stat(HaproxyProcess haproxy, String backend) throws Exception {
        return haproxy.serverStat(backend, "s1").get("status");
    }

    private static void awaitStatus(HaproxyProcess haproxy, String backend, String status) throws Exception {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        String last;
        do {
            last = stat(haproxy, backend);
            if (last.startsWith(status)) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        fail(backend + " never reached " + status + "; last " + last + "\nhaproxy log:\n" + haproxy.log());
    }
}
