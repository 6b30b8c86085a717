package io.maintd.bench;

import io.maintd.config.MaintdConfig.FleetConfig;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagWriter;
import io.maintd.fleet.EtcdClient;
import io.maintd.fleet.EtcdEndpoints;
import io.maintd.fleet.FleetKeys;
import io.maintd.fleet.FleetValue;
import io.maintd.fleet.Scope;
import io.maintd.fleet.UrlEtcdTransport;
import io.maintd.fleetsync.FleetSync;
import io.maintd.lifecycle.ModeSource;
import io.maintd.net.Transport;
import io.maintd.flagfile.StandardFlags;
import io.maintd.proxy.TrafficCounters;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * bench/fleet-scale's driver: N simulated hosts in one JVM, each the daemon's real fleet code
 * ({@link FleetSync}: a watch stream on its three prefixes, a lease kept alive, its status put
 * under it, mirroring into its own flag file with the audit log) on one Netty event loop group
 * sized like a daemon's. It measures what the issue asks: the time from one service-wide set to
 * all N hosts mirrored, etcd's CPU, and the cost per simulated host.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.maintd.bench.FleetScale ETCD_URL HOSTS DIR ETCD_PID [TTL_SECONDS REPORT_MS]</pre>
 */
public final class FleetScale {
    private static final long CONNECT_TIMEOUT_SECONDS = 300;
    private static final long STEADY_SECONDS = 30;
    private static final int ROUNDS = 5;

    private FleetScale() {
    }

    public static void main(String[] args) throws Exception {
        Logger.getLogger("").setLevel(Level.WARNING);
        String etcd = args[0];
        int n = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        long etcdPid = Long.parseLong(args[3]);
        Duration ttl = Duration.ofSeconds(args.length > 4 ? Long.parseLong(args[4]) : 10);
        Duration report = Duration.ofMillis(args.length > 5 ? Long.parseLong(args[5]) : 1000);

        long rssBefore = rssKib(ProcessHandle.current().pid());
        EventLoopGroup group = Transport.preferred().newGroup(Runtime.getRuntime().availableProcessors(), "fleet-scale");
        List<FleetSync> hosts = new ArrayList<>();
        List<FlagHandle> maint = new ArrayList<>();
        long startedConnecting = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String name = "sim-" + i;
            Path flags = Files.createDirectories(dir.resolve(name)).resolve("flags");
            FlagFile.createIfMissing(flags, 64, FlagFile.DEFAULT_MODE, null);
            FlagWriter writer = FlagFile.openReadWrite(flags).writer();
            StandardFlags standard = StandardFlags.defineMissing(writer);
            maint.add(standard.maint);
            FleetConfig config = new FleetConfig(EtcdEndpoints.parseList(etcd), FleetKeys.DEFAULT_PREFIX, "web", name, ttl, report);
            hosts.add(FleetSync.start(config, writer, group.next(), ModeSource.of(standard), new TrafficCounters(nanos -> { })));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONNECT_TIMEOUT_SECONDS);
        while (hosts.stream().anyMatch(h -> !h.connected())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(hosts.stream().filter(h -> !h.connected()).count() + " hosts never connected");
            }
            Thread.sleep(50);
        }
        long connectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedConnecting);
        // Let the leases and the first reports settle, then measure a quiet stretch.
        Thread.sleep(TimeUnit.SECONDS.toMillis(Math.min(STEADY_SECONDS, ttl.toSeconds())));
        Sample steadyStart = Sample.take(etcdPid);
        Thread.sleep(TimeUnit.SECONDS.toMillis(STEADY_SECONDS));
        Sample steadyEnd = Sample.take(etcdPid);
        long rss = rssKib(ProcessHandle.current().pid());

        FleetKeys keys = new FleetKeys(FleetKeys.DEFAULT_PREFIX);
        String key = keys.flagKey(Scope.service("web"), "maint");
        List<Long> latencies = new ArrayList<>();
        Sample burstStart = Sample.take(etcdPid);
        try (EtcdClient client = new EtcdClient(EtcdEndpoints.parseList(etcd), new UrlEtcdTransport(Duration.ofSeconds(10), 1 << 20))) {
            client.rangeKey(key).get();
            for (int round = 0; round < ROUNDS; round++) {
                for (long value : new long[] {1, 0}) {
                    if (value == 1) {
                        client.put(key, new FleetValue(1, 0, "fleet-scale", "bench", System.currentTimeMillis()).encode(), 0).get();
                    } else {
                        client.delete(key).get();
                    }
                    latencies.addAll(awaitAll(maint, value, System.nanoTime()));
                }
            }
        }
        Sample burstEnd = Sample.take(etcdPid);

        latencies.sort(null);
        double steadySeconds = (steadyEnd.nanos - steadyStart.nanos) / 1e9;
        System.out.printf("hosts=%d connect_all_ms=%d mirrored_median_ms=%.1f mirrored_p99_ms=%.1f mirrored_max_ms=%.1f"
                        + " etcd_cpu_steady=%.1f%% etcd_cpu_flips=%.1f%% driver_cpu_per_host_us_per_s=%.1f"
                        + " driver_rss_per_host_kib=%.1f etcd_rss_mib=%d ttl_s=%d report_ms=%d%n",
                n, connectMillis, percentile(latencies, 50), percentile(latencies, 99), percentile(latencies, 100),
                100.0 * (steadyEnd.etcdCpuTicks - steadyStart.etcdCpuTicks) / Sample.TICKS / steadySeconds,
                100.0 * (burstEnd.etcdCpuTicks - burstStart.etcdCpuTicks) / Sample.TICKS
                        / ((burstEnd.nanos - burstStart.nanos) / 1e9),
                (steadyEnd.ownCpuTicks - steadyStart.ownCpuTicks) * 1e6 / Sample.TICKS / steadySeconds / n,
                (rss - rssBefore) / (double) n, rssKib(etcdPid) / 1024, ttl.toSeconds(), report.toMillis());
        for (FleetSync host : hosts) {
            host.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        System.exit(0);
    }

    /** Waits until every host's maint holds {@code value}; each host's ms after the write was acknowledged. */
    private static List<Long> awaitAll(List<FlagHandle> maint, long value, long writtenNanos) throws InterruptedException {
        long[] seen = new long[maint.size()];
        int left = maint.size();
        long deadline = writtenNanos + TimeUnit.SECONDS.toNanos(120);
        while (left > 0) {
            long now = System.nanoTime();
            for (int i = 0; i < seen.length; i++) {
                if (seen[i] == 0 && maint.get(i).get() == value) {
                    seen[i] = Math.max(1, now - writtenNanos);
                    left--;
                }
            }
            if (now > deadline) {
                throw new IllegalStateException(left + " hosts never mirrored maint=" + value);
            }
            Thread.sleep(1);
        }
        List<Long> out = new ArrayList<>();
        for (long s : seen) {
            out.add(TimeUnit.NANOSECONDS.toMicros(s));
        }
        return out;
    }

    /** The p-th percentile of sorted microseconds, in ms. */
    private static double percentile(List<Long> sortedMicros, int p) {
        int index = Math.min(sortedMicros.size() - 1, (int) Math.ceil(p / 100.0 * sortedMicros.size()) - 1);
        return sortedMicros.get(Math.max(0, index)) / 1000.0;
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    /** CPU ticks of etcd and of this JVM at one moment, from /proc. */
    private record Sample(long nanos, long etcdCpuTicks, long ownCpuTicks) {
        /** USER_HZ: /proc times are in these ticks on every Linux the JDK runs on. */
        static final double TICKS = 100.0;

        static Sample take(long etcdPid) throws IOException {
            return new Sample(System.nanoTime(), cpuTicks(etcdPid), cpuTicks(ProcessHandle.current().pid()));
        }

        private static long cpuTicks(long pid) throws IOException {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
    }
}
