package io.maintd.fleetsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.agent.ClientLoad;
import io.maintd.fleet.EtcdClient;
import io.maintd.fleet.FleetKeys;
import io.maintd.fleet.FleetValue;
import io.maintd.fleet.Scope;
import io.maintd.testsupport.FlagctlRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet end to end: a real etcd, three real maintd processes (h1..h3, service web) behind a
 * real HAProxy with agent-check, client load through HAProxy, and the real {@code bin/flagctl fleet}.
 */
@Timeout(300)
class FleetClusterTest {
    @TempDir
    Path dir;

    @Test
    void aServiceKeyReachesEveryHostAndAHostKeyOverridesIt() throws Exception {
        try (FleetCluster cluster = FleetCluster.start(dir, 3, "")) {
            ClientLoad load = cluster.load(2);
            try {
                Latencies latencies = new Latencies();
                flagctlFlip(cluster, latencies, 1, "set", "maint", "1", "--service", "web");
                for (FleetHost host : cluster.hosts) {
                    cluster.awaitHaproxy(host.name, "MAINT");
                }
                flagctlFlip(cluster, latencies, 0, "unset", "maint", "--service", "web");
                for (FleetHost host : cluster.hosts) {
                    cluster.awaitHaproxy(host.name, "UP");
                }
                try (EtcdClient client = cluster.etcd.client()) {
                    for (int i = 0; i < 10; i++) {
                        clientFlip(cluster, client, latencies, 1);
                        clientFlip(cluster, client, latencies, 0);
                    }
                }
                System.out.println("fleet set/unset maint --service web to each host's mode: " + latencies);

                cluster.fleet("set", "maint", "1", "--service", "web").ok();
                cluster.fleet("set", "maint", "0", "--host", "h2").ok();
                cluster.host("h1").awaitFlag("maint", 1);
                cluster.host("h3").awaitFlag("maint", 1);
                cluster.host("h2").awaitFlag("maint", 0);
                cluster.awaitHaproxy("h2", "UP");
                cluster.awaitHaproxy("h1", "MAINT");
                cluster.fleet("unset", "maint", "--service", "web").ok();
                cluster.host("h1").awaitFlag("maint", 0);
                assertEquals(0, cluster.host("h2").flag("maint"));
                cluster.fleet("unset", "maint", "--host", "h2").ok();
                FlagctlRun log = cluster.fleet("log", "-n", "100").ok();
                assertEquals(6, log.out().split("\n").length, "flagctl's changes only: " + log.out());
            } finally {
                load.stop();
            }
            assertTrue(load.total() > 0, "the load ran");
        }
    }

    /**
     * Times to each host's mode change: from the flagctl command's exit (0 when the host changed
     * before the command's JVM was gone), and from etcd acknowledging a write the test made itself
     * (etcd to host, without flagctl's start-up).
     */
    private static final class Latencies {
        final List<Long> fromExit = new ArrayList<>();
        final List<Long> fromWrite = new ArrayList<>();

        @Override
        public String toString() {
            return "from flagctl's exit median " + median(fromExit) + " ms, max " + max(fromExit) + " ms ("
                    + fromExit.size() + " changes); from etcd's write median " + median(fromWrite) + " ms, max "
                    + max(fromWrite) + " ms (" + fromWrite.size() + " changes)";
        }

        private static long median(List<Long> values) {
            List<Long> sorted = new ArrayList<>(values);
            sorted.sort(null);
            return sorted.get(sorted.size() / 2);
        }

        private static long max(List<Long> values) {
            return values.stream().mapToLong(Long::longValue).max().orElseThrow();
        }
    }

    /** Runs {@code change} and returns, per host, the wall-clock ms at which its maint flag held {@code expected}. */
    private static long[] changeAndWatch(FleetCluster cluster, long expected, Callable<Long> change) throws Exception {
        long[] seenAt = new long[cluster.hosts.size()];
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!done.get() && System.nanoTime() < deadline) {
                boolean all = true;
                for (int i = 0; i < seenAt.length; i++) {
                    if (seenAt[i] == 0 && cluster.hosts.get(i).flag("maint") == expected) {
                        seenAt[i] = System.currentTimeMillis();
                    }
                    all &= seenAt[i] != 0;
                }
                if (all) {
                    return;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        long reference = change.call();
        watcher.join(TimeUnit.SECONDS.toMillis(60));
        done.set(true);
        for (int i = 0; i < seenAt.length; i++) {
            assertTrue(seenAt[i] != 0, cluster.hosts.get(i).name + " never saw maint " + expected + ":\n" + cluster.hosts.get(i).log());
            seenAt[i] = Math.max(0, seenAt[i] - reference);
        }
        return seenAt;
    }

    /** {@code fleet ARGS} through bin/flagctl; adds each host's latency from the command's exit. */
    private static void flagctlFlip(FleetCluster cluster, Latencies latencies, long expected, String... args) throws Exception {
        for (long ms : changeAndWatch(cluster, expected, () -> {
            cluster.fleet(args).ok();
            return System.currentTimeMillis();
        })) {
            latencies.fromExit.add(ms);
        }
    }

    /** The same change written by the test's own client; adds each host's latency from etcd's acknowledgement. */
    private static void clientFlip(FleetCluster cluster, EtcdClient client, Latencies latencies, long expected) throws Exception {
        String key = new FleetKeys(FleetKeys.DEFAULT_PREFIX).flagKey(Scope.service("web"), "maint");
        for (long ms : changeAndWatch(cluster, expected, () -> {
            if (expected == 0) {
                client.delete(key).get(10, TimeUnit.SECONDS);
            } else {
                client.put(key, new FleetValue(expected, 0, "latency", "test", 0).encode(), 0).get(10, TimeUnit.SECONDS);
            }
            return System.currentTimeMillis();
        })) {
            latencies.fromWrite.add(ms);
        }
    }

    @Test
    void withEtcdKilledFlagsStayAndRequestsFlowThenAfterItsRestartAllHostsFollow() throws Exception {
        try (FleetCluster cluster = FleetCluster.start(dir, 3, "")) {
            cluster.fleet("set", "weight", "50", "--service", "web").ok();
            for (FleetHost host : cluster.hosts) {
                host.awaitFlag("weight", 50);
            }
            ClientLoad load = cluster.load(2);
            try {
                cluster.etcd.kill();
                for (FleetHost host : cluster.hosts) {
                    host.maintd.awaitLog("fleet: etcd unreachable");
                    host.awaitMetric("maintd_fleet_connected", 0);
                }
                long before = load.total();
                for (FleetHost host : cluster.hosts) {
                    load.awaitServedBy(host.name, load.servedBy(host.name) + 20);
                    assertEquals(50, host.flag("weight"), "fail-static: the last value stays");
                }
                assertTrue(load.total() > before);
                cluster.etcd.restart();
                FlagctlRun set = cluster.fleet("set", "shed", "0", "--all");
                assertEquals(0, set.exit(), set.err());
                cluster.fleet("set", "weight", "80", "--service", "web").ok();
                for (FleetHost host : cluster.hosts) {
                    host.awaitFlag("weight", 80);
                    host.awaitMetric("maintd_fleet_connected", 1);
                }
            } finally {
                load.stop();
            }
            assertEquals(List.of(), load.failures(), "requests kept flowing while etcd was down");
        }
    }

    @Test
    void aTimedMaintRevertsOnEveryHostIncludingOneCutOffJustAfterTakingIt() throws Exception {
        try (FleetCluster cluster = FleetCluster.start(dir, 3, "")) {
            FleetHost h3 = cluster.host("h3");
            long set = System.currentTimeMillis();
            cluster.fleet("set", "maint", "1", "--service", "web", "--for", "3s").ok();
            for (FleetHost host : cluster.hosts) {
                host.awaitFlag("maint", 1);
            }
            cluster.proxyOf(h3).cut();
            h3.maintd.awaitLog("fleet: etcd unreachable");
            for (FleetHost host : cluster.hosts) {
                long reverted = host.awaitFlag("maint", 0);
                assertTrue(reverted >= set + 3000, host.name + " reverted early");
                System.out.println(host.name + " reverted " + (reverted - set) + " ms after the set"
                        + (host == h3 ? " (cut off from etcd)" : ""));
                cluster.awaitHaproxy(host.name, "UP");
            }
            // flagctl exited at once and kept nothing alive: etcd itself drops the key when the lease ends.
            String key = new FleetKeys(FleetKeys.DEFAULT_PREFIX).flagKey(Scope.service("web"), "maint");
            try (EtcdClient client = cluster.etcd.client()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!client.rangeKey(key).get(10, TimeUnit.SECONDS).kvs().isEmpty()) {
                    assertTrue(System.nanoTime() < deadline, key + " outlived its lease");
                    Thread.sleep(100);
                }
            }
            cluster.proxyOf(h3).restore();
            h3.maintd.awaitLog("fleet: reconnected to");
            assertEquals(0, h3.flag("maint"));
        }
    }

    @Test
    void aRollWithARestartingHookLosesNoRequestAndLeavesEveryHostReady() throws Exception {
        try (FleetCluster cluster = FleetCluster.start(dir, 3, "")) {
            Path hook = Files.writeString(dir.resolve("restart-hook.sh"), String.join("\n",
                    "#!/bin/sh",
                    "# Asks the test to restart maintd on host $1 and waits (at most 2 minutes) until it has.",
                    "touch \"" + dir + "/$1.restart\"",
                    "i=0",
                    "while [ -e \"" + dir + "/$1.restart\" ]; do",
                    "  i=$((i + 1)); [ $i -gt 2400 ] && exit 3",
                    "  sleep 0.05",
                    "done",
                    "[ ! -e \"" + dir + "/$1.failed\" ]",
                    ""));
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
            AtomicBoolean rolling = new AtomicBoolean(true);
            List<String> restarted = new ArrayList<>();
            Thread restarter = new Thread(() -> restartOnRequest(cluster, rolling, restarted), "restarter");
            restarter.start();
            ClientLoad load = cluster.load(2);
            FlagctlRun roll;
            try {
                for (FleetHost host : cluster.hosts) {
                    load.awaitServedBy(host.name, 1);
                }
                roll = cluster.fleet("roll", "--service", "web", "--max-unavailable", "1", "--", hook.toString(), "{host}");
                for (FleetHost host : cluster.hosts) {
                    cluster.awaitHaproxy(host.name, "UP");
                    load.awaitServedBy(host.name, load.servedBy(host.name) + 1);
                }
            } finally {
                load.stop();
                rolling.set(false);
                restarter.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertEquals(0, roll.exit(), roll.out() + roll.err());
            assertEquals(List.of("h1", "h2", "h3"), restarted);
            assertTrue(roll.out().contains("roll of web done: 3 host(s)"), roll.out());
            assertEquals(List.of(), load.failures(), "responses other than 200, or errors, during the roll");
            System.out.println("fleet roll: " + load.total() + " responses through HAProxy, 0 failed");
            FlagctlRun status = cluster.fleet("status", "--service", "web").ok();
            assertEquals(3, status.out().lines().filter(l -> l.contains(" ready ")).count(), status.out());
        }
    }

    /** The test's side of the hook: restart the maintd a {@code HOST.restart} file names, then remove the file. */
    private static void restartOnRequest(FleetCluster cluster, AtomicBoolean rolling, List<String> restarted) {
        while (rolling.get()) {
            for (FleetHost host : cluster.hosts) {
                Path request = host.dir.resolveSibling(host.name + ".restart");
                if (Files.exists(request)) {
                    try {
                        host.restart();
                        restarted.add(host.name);
                    } catch (Exception | AssertionError e) {
                        System.out.println("restart of " + host.name + " failed: " + e);
                        try {
                            Files.writeString(request.resolveSibling(host.name + ".failed"), e.toString());
                        } catch (Exception ignored) {
                            // The hook then times out instead.
                        }
                    }
                    try {
                        Files.deleteIfExists(request);
                    } catch (Exception ignored) {
                        // The hook times out.
                    }
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Test
    void aHostKilledWithSigkillLosesItsStatusWithinTheLeaseTtlAndIsListedAsLost() throws Exception {
        try (FleetCluster cluster = FleetCluster.start(dir, 3, "  lease-ttl: 3s\n")) {
            FleetHost h3 = cluster.host("h3");
            FlagctlRun before = cluster.fleet("status").ok();
            assertEquals(3, before.out().lines().filter(l -> l.contains(" ready ")).count(), before.out());
            h3.maintd.kill9();
            long killed = System.nanoTime();
            long deadline = killed + TimeUnit.SECONDS.toNanos(30);
            FlagctlRun status;
            while (!(status = cluster.fleet("status", "--json").ok()).out().contains("\"host\":\"h3\",\"mode\":\"lost\"")) {
                assertTrue(System.nanoTime() < deadline, "h3 never listed as lost: " + status.out());
                Thread.sleep(100);
            }
            System.out.println("h3 listed as lost " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed)
                    + " ms after kill -9 (lease TTL 3 s)");
            FlagctlRun table = cluster.fleet("status").ok();
            assertTrue(Arrays.stream(table.out().split("\n")).anyMatch(l -> l.matches("web +h3 +lost .*")), table.out());
        }
    }
}
