package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.fleet.EtcdClient;
import io.maintd.fleet.EtcdProcess;
import io.maintd.fleet.FleetKeys;
import io.maintd.fleet.FleetValue;
import io.maintd.fleet.HostStatus;
import io.maintd.fleet.KeyValue;
import io.maintd.fleet.Scope;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flagctl fleet} against a real etcd, in-process. Each test works under its own prefix;
 * hosts are stood in for by the member and status keys their maintd would write.
 */
@Timeout(120)
class FleetCommandsTest {
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @TempDir
    static Path dir;
    static EtcdProcess etcd;
    static EtcdClient client;

    private String prefix;
    private FleetKeys keys;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdProcess.start(dir.resolve("etcd"));
        client = etcd.client();
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        client.close();
        etcd.close();
    }

    @BeforeEach
    void newPrefix() {
        prefix = "/t" + PREFIXES.incrementAndGet();
        keys = new FleetKeys(prefix);
    }

    private CliRun fleet(String... args) {
        List<String> all = new ArrayList<>(List.of("fleet", "--prefix", prefix));
        all.addAll(Arrays.asList(args));
        return CliRun.run(Map.of(FleetCommand.ETCD_ENV, etcd.endpoint().toString()), all.toArray(new String[0]));
    }

    private FleetValue value(String key) throws Exception {
        List<KeyValue> kvs = client.rangeKey(key).get(5, TimeUnit.SECONDS).kvs();
        return kvs.isEmpty() ? null : FleetValue.decode(kvs.get(0).value());
    }

    /** What a host's maintd publishes: a member key, and a status in {@code mode} unless {@code lost}. */
    private void host(String service, String host, String mode, boolean lost) throws Exception {
        client.put(keys.memberKey(service, host), "{}".getBytes(StandardCharsets.UTF_8), 0).get(5, TimeUnit.SECONDS);
        if (!lost) {
            HostStatus status = new HostStatus(mode, 3, 7, 100, "test", System.currentTimeMillis(), 1, 1, 0, List.of());
            client.put(keys.statusKey(service, host), status.encode(), 0).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void setWritesTheValueWithItsReasonAuthorAndLogEntryAndUnsetRemovesIt() throws Exception {
        CliRun set = fleet("set", "maint", "1", "--service", "web", "--reason", "kernel upgrade");
        assertEquals(0, set.code, set::toString);
        String key = keys.flagKey(Scope.service("web"), "maint");
        assertTrue(set.out.startsWith("maint = 1 for service web (" + key + ", revision "), set.out);
        FleetValue stored = value(key);
        assertEquals(1, stored.value());
        assertEquals("kernel upgrade", stored.reason());
        assertEquals(System.getProperty("user.name"), stored.by());
        assertEquals(0, stored.expiresAtMillis());

        CliRun unset = fleet("unset", "maint", "--service", "web");
        assertEquals(0, unset.code, unset::toString);
        assertEquals(null, value(key));
        CliRun again = fleet("unset", "maint", "--service", "web");
        assertEquals(0, again.code, again::toString);
        assertTrue(again.out.contains("nothing to unset"), again.out);

        CliRun log = fleet("log");
        assertEquals(0, log.code, log::toString);
        String[] lines = log.out.split("\n");
        assertEquals(2, lines.length, log.out);
        assertTrue(lines[0].contains("op=set scope=\"service web\" flag=maint value=1 expires=- reason=\"kernel upgrade\""), lines[0]);
        assertTrue(lines[1].contains("op=unset scope=\"service web\" flag=maint value=-"), lines[1]);
        CliRun json = fleet("--json", "log", "-n", "1");
        assertTrue(json.out.startsWith("{\"time\":\"") && json.out.contains("\"op\":\"unset\""), json.out);
    }

    @Test
    void setForPutsTheKeyUnderALeaseAndStoresTheAbsoluteExpiry() throws Exception {
        long before = System.currentTimeMillis();
        CliRun set = fleet("set", "drain", "1", "--host", "h1", "--for", "2s");
        assertEquals(0, set.code, set::toString);
        String key = keys.flagKey(Scope.host("h1"), "drain");
        FleetValue stored = value(key);
        assertTrue(stored.expiresAtMillis() >= before + 2000 && stored.expiresAtMillis() <= System.currentTimeMillis() + 2000,
                stored::toString);
        assertTrue(client.rangeKey(key).get().kvs().get(0).lease() != 0, "under a lease");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (value(key) != null) {
            assertTrue(System.nanoTime() < deadline, "the key outlived its --for");
            Thread.sleep(100);
        }
    }

    @Test
    void badLinesAreUsageErrorsAndWriteNothing() throws Exception {
        assertEquals(2, fleet("set", "maint", "1").code);
        assertEquals(2, fleet("set", "maint", "1", "--all", "--service", "web").code);
        assertEquals(2, fleet("set", "Maint", "1", "--all").code);
        assertEquals(2, fleet("set", "maint", "x", "--all").code);
        assertEquals(2, fleet("set", "maint", "1", "--host", "h 1").code);
        assertEquals(2, fleet("drain", "h1").code, "--service is required");
        assertEquals(2, fleet("nonsense").code);
        CliRun noEtcd = CliRun.run(Map.of(), "fleet", "status");
        assertEquals(2, noEtcd.code);
        assertTrue(noEtcd.err.contains("no etcd: give --etcd URL[,URL] or set MAINTD_ETCD"), noEtcd.err);
        assertEquals(2, CliRun.run(Map.of(), "fleet", "--etcd", "etcd:2379", "status").code);
        assertEquals(2, fleet("--prefix", "nope", "status").code);
        assertEquals(0, client.rangePrefix(prefix + "/").get().kvs().size(), "nothing was written");
        assertEquals(0, fleet("set", "--help").code, "help needs no etcd");
    }

    @Test
    void anUnreachableEtcdIsExit10NamingTheEndpoint() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        CliRun run = CliRun.run(Map.of(), "fleet", "--etcd", "http://127.0.0.1:" + dead, "set", "maint", "1", "--all");
        assertEquals(10, run.code, run::toString);
        assertTrue(run.err.contains("no etcd endpoint answered: http://127.0.0.1:" + dead), run.err);
    }

    @Test
    void statusListsLiveHostsAndLostOnes() throws Exception {
        host("web", "h1", "ready", false);
        host("web", "h2", "drain", false);
        host("web", "h3", "ready", true);
        host("api", "a1", "maint", false);
        CliRun status = fleet("status");
        assertEquals(0, status.code, status::toString);
        String[] lines = status.out.split("\n");
        assertEquals(5, lines.length, status.out);
        assertTrue(lines[0].startsWith("SERVICE  HOST  MODE   INFLIGHT  CONNS  REPORTED"), lines[0]);
        assertTrue(lines[1].matches("api +a1 +maint +3 +7 .*"), lines[1]);
        assertTrue(lines[4].matches("web +h3 +lost +- .*status key gone.*"), lines[4]);
        CliRun web = fleet("status", "--service", "web", "--json");
        assertTrue(web.out.contains("{\"service\":\"web\",\"host\":\"h2\",\"mode\":\"drain\",\"inflight\":3"), web.out);
        assertTrue(web.out.contains("{\"service\":\"web\",\"host\":\"h3\",\"mode\":\"lost\""), web.out);
        assertTrue(!web.out.contains("\"a1\""), web.out);
    }

    @Test
    void drainIsRefusedWhileTheBudgetIsHeldNamingTheHolders() throws Exception {
        host("web", "h1", "ready", false);
        host("web", "h2", "ready", false);
        host("web", "h3", "ready", false);
        host("web", "h4", "maint", false);
        CliRun refused = fleet("drain", "h1", "--service", "web");
        assertEquals(9, refused.code, refused::toString);
        assertTrue(refused.err.contains("not draining h1: web allows 1 host(s) out of 4 at once, and 1 are: h4 (maint (reported))"),
                refused.err);
        assertEquals(null, value(keys.flagKey(Scope.host("h1"), "drain")), "a refusal writes nothing");

        CliRun two = fleet("drain", "h1", "--service", "web", "--max-unavailable", "2");
        assertEquals(0, two.code, two::toString);
        assertEquals(1, value(keys.flagKey(Scope.host("h1"), "drain")).value());
        assertEquals(0, fleet("drain", "h1", "--service", "web", "--max-unavailable", "2").code, "already drained: fine");
        CliRun third = fleet("drain", "h2", "--service", "web", "--max-unavailable", "2");
        assertEquals(9, third.code, third::toString);
        assertTrue(third.err.contains("h1 (drain (key " + keys.flagKey(Scope.host("h1"), "drain") + "))"), third.err);
        assertTrue(third.err.contains("h4 (maint (reported))"), third.err);

        client.put(keys.flagKey(Scope.service("web"), "maint"), new FleetValue(1, 0, "", "", 0).encode(), 0).get();
        assertEquals(9, fleet("drain", "h3", "--service", "web", "--max-unavailable", "3").code, "a service key takes them all");
        assertEquals(0, fleet("undrain", "h1").code);
        assertEquals(null, value(keys.flagKey(Scope.host("h1"), "drain")));
    }

    @Test
    void aLostHostCountsAgainstTheBudget() throws Exception {
        host("web", "h1", "ready", false);
        host("web", "h2", "ready", true);
        CliRun refused = fleet("drain", "h1", "--service", "web");
        assertEquals(9, refused.code, refused::toString);
        assertTrue(refused.err.contains("h2 (lost (no status))"), refused.err);
    }

    @Test
    void unknownHostsAndBudgetsLargerThanThePoolAreRefused() throws Exception {
        host("web", "h1", "ready", false);
        CliRun unknown = fleet("drain", "h9", "--service", "web");
        assertEquals(11, unknown.code, unknown::toString);
        assertTrue(unknown.err.contains("no host h9 in service web (its hosts: h1)"), unknown.err);
        CliRun tooMany = fleet("drain", "h1", "--service", "web", "--max-unavailable", "2");
        assertEquals(2, tooMany.code, tooMany::toString);
        assertTrue(tooMany.err.contains("--max-unavailable 2 is larger than the pool web (1 hosts)"), tooMany.err);
        assertEquals(11, fleet("wait", "h9", "inflight", "--le", "0").code);
    }

    @Test
    void waitReturnsWhenThePublishedCounterHoldsAndTimesOutWith7() throws Exception {
        host("web", "h1", "ready", false);
        CliRun timedOut = fleet("wait", "h1", "inflight", "--le", "0", "--timeout", "300ms");
        assertEquals(7, timedOut.code, timedOut::toString);
        assertTrue(timedOut.err.contains("h1: inflight is still 3 after 300ms"), timedOut.err);
        CliRun ok = fleet("wait", "h1", "conns", "--le", "7");
        assertEquals(0, ok.code, ok::toString);
        assertEquals("h1: conns 7\n", ok.out);
        assertEquals(2, fleet("wait", "h1", "requests", "--le", "7").code);
    }

    @Test
    void aMalformedStatusOrKeyIsReportedNotFatal() throws Exception {
        host("web", "h1", "ready", false);
        client.put(keys.statusKey("web", "h2"), "{\"mode\":\"on fire\"}".getBytes(StandardCharsets.UTF_8), 0).get();
        client.put(keys.statusRoot() + "web/h3/extra", "{}".getBytes(StandardCharsets.UTF_8), 0).get();
        CliRun status = fleet("status");
        assertEquals(0, status.code, status::toString);
        assertTrue(status.out.contains("unreadable"), status.out);
        assertTrue(status.err.contains("skipping key " + keys.statusRoot() + "web/h3/extra"), status.err);
    }
}
