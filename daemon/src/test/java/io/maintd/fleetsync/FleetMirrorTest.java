package io.maintd.fleetsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.testsupport.MaintdProcess;
import io.maintd.flagfile.FlagFile;
import io.maintd.fleet.CutProxy;
import io.maintd.fleet.EtcdClient;
import io.maintd.fleet.EtcdProcess;
import io.maintd.fleet.FleetKeys;
import io.maintd.fleet.FleetValue;
import io.maintd.fleet.HostStatus;
import io.maintd.fleet.JsonFields;
import io.maintd.fleet.KeyValue;
import io.maintd.fleet.Scope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real maintd mirroring a real etcd: precedence, letting go, malformed keys, local
 * overrides, fail-static, resume and resync, timed values on a host cut off, the status lease.
 * Keys are written with the fleet module's client directly; flagctl's commands have their own tests.
 */
@Timeout(180)
class FleetMirrorTest {
    private static final FleetKeys KEYS = new FleetKeys(FleetKeys.DEFAULT_PREFIX);

    @TempDir
    Path dir;
    EtcdProcess etcd;
    EtcdClient client;

    @BeforeEach
    void startEtcd() throws Exception {
        etcd = EtcdProcess.start(dir.resolve("etcd"));
        client = etcd.client();
    }

    @AfterEach
    void stopEtcd() throws Exception {
        client.close();
        etcd.close();
    }

    private FleetHost host(String name, List<URI> endpoints, String fleetExtra) throws Exception {
        return new FleetHost(dir, name, "web", endpoints, MaintdProcess.freePort(), "", fleetExtra).start();
    }

    private long put(Scope scope, String flag, long value) throws Exception {
        return put(scope, flag, new FleetValue(value, 0, "test", "tester", System.currentTimeMillis()), 0);
    }

    private long put(Scope scope, String flag, FleetValue value, long lease) throws Exception {
        return client.put(KEYS.flagKey(scope, flag), value.encode(), lease).get(10, TimeUnit.SECONDS);
    }

    private void delete(Scope scope, String flag) throws Exception {
        client.delete(KEYS.flagKey(scope, flag)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void theMostSpecificKeyWinsAndTheHostGetsItsOwnValueBackWhenTheFleetLetsGo() throws Exception {
        try (FleetHost h1 = host("h1", etcd.endpoints(), "")) {
            h1.maintd.awaitLog("fleet: connected to");
            long allRevision = put(Scope.all(), "maint", 1);
            h1.awaitFlag("maint", 1);
            put(Scope.host("h1"), "maint", 0);
            h1.awaitFlag("maint", 0);
            put(Scope.service("web"), "maint", 5);
            put(Scope.service("api"), "drain", 1);
            put(Scope.host("h2"), "drain", 1);
            put(Scope.all(), "shed", 10);
            h1.awaitFlag("shed", 10);
            assertEquals(0, h1.flag("maint"), "the host key still wins over the service key");
            assertEquals(0, h1.flag("drain"), "keys for another service or host are not this host's");
            delete(Scope.host("h1"), "maint");
            h1.awaitFlag("maint", 5);
            delete(Scope.service("web"), "maint");
            h1.awaitFlag("maint", 1);
            delete(Scope.all(), "maint");
            h1.awaitFlag("maint", 0);

            List<String> audit = h1.auditLines("flag=maint");
            assertEquals(5, audit.size(), String.join("\n", audit));
            assertTrue(audit.get(0).contains("writer=fleet op=set flag=maint old=0 new=1 expires=- reason=test revision="
                    + allRevision + " key=/maintd/flags/all/maint by=tester"), audit.get(0));
            assertTrue(audit.get(4).contains("old=1 new=0") && audit.get(4).contains("reason=\"the fleet let go"), audit.get(4));
        }
    }

    @Test
    void malformedKeysAndValuesAreLoggedOnceAndSkippedWhileTheOthersApply() throws Exception {
        try (FleetHost h1 = host("h1", etcd.endpoints(), "")) {
            h1.maintd.awaitLog("fleet: connected to");
            put(Scope.all(), "maint", 1);
            h1.awaitFlag("maint", 1);
            client.put(KEYS.flagKey(Scope.service("web"), "maint"), "{\"value\":\"2\"}".getBytes(StandardCharsets.UTF_8), 0).get();
            client.put(KEYS.flagsRoot() + "host/h1/Not_A_Flag", "{\"value\":1}".getBytes(StandardCharsets.UTF_8), 0).get();
            client.put(KEYS.flagKey(Scope.all(), "nosuchflag"), new FleetValue(1, 0, "", "", 0).encode(), 0).get();
            put(Scope.all(), "drain", 1);
            h1.awaitFlag("drain", 1);
            assertEquals(1, h1.flag("maint"), "a malformed service value is skipped: the all value still applies");
            h1.maintd.awaitLog("fleet: skipping key /maintd/flags/service/web/maint: field \"value\" should be an integer");
            h1.maintd.awaitLog("fleet: skipping key /maintd/flags/host/h1/Not_A_Flag");
            h1.maintd.awaitLog("sets nosuchflag, which " + h1.flags() + " does not have; skipped");
            put(Scope.all(), "shed", 1);
            h1.awaitFlag("shed", 1);
            assertEquals(1, occurrences(h1.log(), "skipping key /maintd/flags/service/web/maint"), "logged once");
        }
    }

    @Test
    void aLocalWriteOverridesAFleetFlagUntilItsKeyChanges() throws Exception {
        try (FleetHost h1 = host("h1", etcd.endpoints(), "")) {
            h1.maintd.awaitLog("fleet: connected to");
            put(Scope.service("web"), "maint", 1);
            h1.awaitFlag("maint", 1);
            // The mirror logs its write once the writer stamp is in place; a local write before
            // that could leave the mirror's pid on it (docs/flagfile.md, writer fields).
            h1.maintd.awaitLog("fleet: maint 0 -> 1 from");
            try (FlagFile file = FlagFile.openReadWrite(h1.flags())) {
                file.writer().set(file.reader().handle("maint"), 0);
            }
            h1.maintd.awaitLog("fleet: maint set to 0 locally by pid " + ProcessHandle.current().pid());
            put(Scope.all(), "drain", 1);
            h1.awaitFlag("drain", 1);
            assertEquals(0, h1.flag("maint"), "other fleet changes leave the override alone");
            assertEquals(List.of("maint"), awaitStatus("h1", s -> !s.overrides().isEmpty()).overrides());
            put(Scope.service("web"), "maint", 1);
            h1.awaitFlag("maint", 1);
        }
    }

    @Test
    void startsWithEtcdDownServingItsFlagFileAndSyncsWhenEtcdComes() throws Exception {
        etcd.kill();
        try (FleetHost h1 = host("h1", etcd.endpoints(), "")) {
            h1.maintd.awaitLog("fleet: etcd unreachable");
            h1.awaitMetric("maintd_fleet_connected", 0);
            etcd.restart();
            h1.maintd.awaitLog("fleet: connected to");
            h1.awaitMetric("maintd_fleet_connected", 1);
            put(Scope.all(), "maint", 1);
            h1.awaitFlag("maint", 1);
        }
    }

    @Test
    void cutOffItKeepsItsValuesThenResumesFromItsRevisionApplyingEachChangeOnce() throws Exception {
        try (CutProxy proxy = new CutProxy(etcd.endpoint()); FleetHost h1 = host("h1", List.of(proxy.endpoint()), "")) {
            h1.maintd.awaitLog("fleet: connected to");
            put(Scope.all(), "maint", 1);
            h1.awaitFlag("maint", 1);
            JsonFields following = h1.fleetStatus();
            assertTrue(following.bool("connected"), following.toString());
            assertEquals("h1", following.string("host"));
            proxy.cut();
            h1.maintd.awaitLog("fleet: etcd unreachable");
            h1.awaitMetric("maintd_fleet_connected", 0);
            JsonFields lost = h1.fleetStatus();
            assertFalse(lost.bool("connected"), lost.toString());
            assertTrue(lost.string("problem").length() > 0, lost.toString());
            assertTrue(lost.string("since").compareTo(following.string("since")) >= 0, lost.toString());
            assertEquals(following.integer("revision"), lost.integer("revision"), "the revision it keeps values from");
            put(Scope.all(), "drain", 1);
            put(Scope.all(), "maint", 2);
            assertEquals(1, h1.flag("maint"), "fail-static: the last value stays");
            proxy.restore();
            h1.awaitFlag("maint", 2);
            h1.awaitFlag("drain", 1);
            h1.maintd.awaitLog("fleet: reconnected to");
            JsonFields back = h1.fleetStatus();
            assertTrue(back.bool("connected"), back.toString());
            assertEquals(null, back.asMap().get("problem"), back.toString());
            assertFalse(h1.log().contains("compacted"), h1.log());
            assertEquals(2, h1.auditLines("flag=maint").size(), "1 then 2, nothing twice");
            assertEquals(1, h1.auditLines("flag=drain").size());
        }
    }

    @Test
    void afterACompactionPastItsRevisionItReadsEverythingAgain() throws Exception {
        try (CutProxy proxy = new CutProxy(etcd.endpoint()); FleetHost h1 = host("h1", List.of(proxy.endpoint()), "")) {
            h1.maintd.awaitLog("fleet: connected to");
            put(Scope.all(), "maint", 1);
            put(Scope.all(), "shed", 5);
            h1.awaitFlag("shed", 5);
            proxy.cut();
            h1.maintd.awaitLog("fleet: etcd unreachable");
            put(Scope.all(), "maint", 2);
            delete(Scope.all(), "shed");
            long revision = put(Scope.all(), "drain", 1);
            etcd.compact(revision);
            proxy.restore();
            h1.maintd.awaitLog("fleet: etcd compacted past the watch");
            h1.awaitFlag("drain", 1);
            h1.awaitFlag("maint", 2);
            h1.awaitFlag("shed", 0);
            assertEquals(2, h1.auditLines("flag=maint").size(), "1 then 2, nothing twice");
        }
    }

    @Test
    void aTimedValueRevertsOnTimeOnAHostCutOffJustAfterTakingIt() throws Exception {
        try (CutProxy proxy = new CutProxy(etcd.endpoint()); FleetHost h1 = host("h1", List.of(proxy.endpoint()), "")) {
            h1.maintd.awaitLog("fleet: connected to");
            long expiresAt = System.currentTimeMillis() + 3000;
            EtcdClient.Lease lease = client.grantLease(3).get();
            put(Scope.all(), "maint", new FleetValue(1, expiresAt, "short window", "tester", System.currentTimeMillis()),
                    lease.id());
            h1.awaitFlag("maint", 1);
            proxy.cut();
            long reverted = h1.awaitFlag("maint", 0);
            assertTrue(reverted >= expiresAt, "reverted " + (expiresAt - reverted) + " ms early");
            System.out.println("cut-off host reverted " + (reverted - expiresAt) + " ms after expires_at");
        }
    }

    @Test
    void theStatusKeyIsPublishedUnderALeaseAndVanishesAfterKill9() throws Exception {
        try (FleetHost h1 = host("h1", etcd.endpoints(), "  lease-ttl: 3s\n")) {
            HostStatus status = awaitStatus("h1", s -> true);
            assertEquals("ready", status.mode());
            assertEquals(h1.maintd.pid(), status.pid());
            assertEquals(1, client.rangePrefix(KEYS.memberPrefix("web")).get().kvs().size());
            h1.maintd.kill9();
            long killed = System.nanoTime();
            long deadline = killed + TimeUnit.SECONDS.toNanos(30);
            while (!client.rangeKey(KEYS.statusKey("web", "h1")).get().kvs().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the status key outlived its lease");
                Thread.sleep(50);
            }
            System.out.println("status key gone " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed)
                    + " ms after kill -9 (lease TTL 3 s)");
            assertEquals(1, client.rangePrefix(KEYS.memberPrefix("web")).get().kvs().size(), "the member key stays");
        }
    }

    @Test
    void aKeyDeletedWhileTheDaemonWasStoppedIsLetGoWhenItStartsAgain() throws Exception {
        try (FleetHost h1 = host("h1", etcd.endpoints(), "")) {
            h1.maintd.awaitLog("fleet: connected to");
            put(Scope.service("web"), "drain", 1);
            h1.awaitFlag("drain", 1);
            h1.stop();
            delete(Scope.service("web"), "drain");
            h1.start();
            h1.awaitFlag("drain", 0);
        }
    }

    private HostStatus status(String host) throws Exception {
        List<KeyValue> kvs = client.rangeKey(KEYS.statusKey("web", host)).get().kvs();
        return kvs.isEmpty() ? null : HostStatus.decode(kvs.get(0).value());
    }

    /** Waits for a published status that satisfies {@code condition}; reports lag by up to the report interval. */
    private HostStatus awaitStatus(String host, Predicate<HostStatus> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HostStatus status;
        while ((status = status(host)) == null || !condition.test(status)) {
            assertTrue(System.nanoTime() < deadline, "no such status for " + host + "; last " + status);
            Thread.sleep(50);
        }
        return status;
    }

    private static int occurrences(String text, String fragment) {
        int n = 0;
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + 1)) {
            n++;
        }
        return n;
    }
}
