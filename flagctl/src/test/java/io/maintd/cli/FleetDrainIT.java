package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.fleet.CutProxy;
import io.maintd.fleet.EtcdClient;
import io.maintd.fleet.EtcdProcess;
import io.maintd.testsupport.FlagctlRun;
import io.maintd.fleet.FleetKeys;
import io.maintd.fleet.HostStatus;
import io.maintd.fleet.KeyValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drain budget under contention: five {@code bin/flagctl fleet drain} processes, each for a
 * different host of one pool, with {@code --max-unavailable 1}. A proxy holds their connections
 * until all five are open, so all five read the same pool and race to write. The check and the
 * write are one etcd transaction, so exactly one may win.
 */
@Timeout(180)
class FleetDrainIT {
    @TempDir
    Path dir;

    @Test
    void fiveConcurrentDrainersWithABudgetOfOneLeaveExactlyOneHostDrained() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start(dir.resolve("etcd")); EtcdClient client = etcd.client();
             CutProxy gate = new CutProxy(etcd.endpoint())) {
            FleetKeys keys = new FleetKeys(FleetKeys.DEFAULT_PREFIX);
            for (int i = 1; i <= 5; i++) {
                client.put(keys.memberKey("web", "h" + i), "{}".getBytes(StandardCharsets.UTF_8), 0).get();
                client.put(keys.statusKey("web", "h" + i), new HostStatus("ready", 0, 0, 0, "test", System.currentTimeMillis(),
                        i, 1, 0, List.of()).encode(), 0).get();
            }
            for (int round = 0; round < 3; round++) {
                gate.hold();
                List<Process> drainers = new ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    drainers.add(Launcher.builder(List.of(), Map.of("MAINTD_ETCD", gate.endpoint().toString()),
                            "fleet", "drain", "h" + i, "--service", "web", "--max-unavailable", "1").start());
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (gate.holding() < 5) {
                    assertTrue(System.nanoTime() < deadline, "only " + gate.holding() + " drainers connected");
                    Thread.sleep(10);
                }
                gate.release();
                List<FlagctlRun> runs = new ArrayList<>();
                for (Process p : drainers) {
                    runs.add(Launcher.finish(p));
                }
                long won = runs.stream().filter(r -> r.exit() == 0).count();
                assertEquals(1, won, runs::toString);
                for (FlagctlRun r : runs) {
                    if (r.exit() != 0) {
                        assertEquals(9, r.exit(), r::toString);
                        assertTrue(r.err().contains("web allows 1 host(s) out of 5 at once, and 1 are: h"), r.err());
                    }
                }
                List<KeyValue> drained = client.rangePrefix(keys.flagsRoot() + "host/").get().kvs();
                assertEquals(1, drained.size(), drained.toString());
                String host = keys.parseFlagKey(drained.get(0).key()).scope().name();
                assertTrue(runs.get(Integer.parseInt(host.substring(1)) - 1).out().contains(host + " drained"), runs::toString);
                assertEquals(0, Launcher.run(List.of(), Map.of("MAINTD_ETCD", etcd.endpoint().toString()),
                        "fleet", "undrain", host).exit());
            }
        }
    }
}
