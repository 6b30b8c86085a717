package io.maintd.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The gateway calls against a real etcd. */
@Timeout(120)
class EtcdClientTest {
    @TempDir
    static Path dir;
    static EtcdProcess etcd;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdProcess.start(dir.resolve("etcd"));
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        etcd.close();
    }

    @Test
    void putRangeAndDeleteUnderAPrefix() throws Exception {
        try (EtcdClient client = etcd.client()) {
            long rev = client.put("/t1/a", bytes("1"), 0).get();
            client.put("/t1/b", bytes("2"), 0).get();
            client.put("/t10", bytes("not under /t1/"), 0).get();
            RangeResult range = client.rangePrefix("/t1/").get();
            assertEquals(List.of("/t1/a", "/t1/b"), range.kvs().stream().map(KeyValue::key).toList());
            assertEquals(rev, range.kvs().get(0).modRevision());
            assertArrayEquals(bytes("2"), range.kvs().get(1).value());
            assertEquals(1, client.delete("/t1/a").get());
            assertEquals(0, client.delete("/t1/a").get());
            assertEquals(List.of("/t1/b"), client.rangePrefix("/t1/").get().kvs().stream().map(KeyValue::key).toList());
        }
    }

    @Test
    void aTxnWritesOnlyWhenTheComparedRevisionHolds() throws Exception {
        try (EtcdClient client = etcd.client()) {
            TxnResult first = client.txn(new Txn().ifModRevision("/t2/lock", 0).thenPut("/t2/lock", bytes("x"), 0)
                    .elseRangePrefix("/t2/")).get();
            assertTrue(first.succeeded());
            TxnResult second = client.txn(new Txn().ifModRevision("/t2/lock", 0).thenPut("/t2/lock", bytes("y"), 0)
                    .elseRangePrefix("/t2/")).get();
            assertFalse(second.succeeded());
            assertEquals(first.revision(), second.ranges().get(0).kvs().get(0).modRevision());
        }
    }

    @Test
    void aKeyUnderALeaseVanishesWhenTheLeaseIsNotKeptAlive() throws Exception {
        try (EtcdClient client = etcd.client()) {
            EtcdClient.Lease lease = client.grantLease(2).get();
            client.put("/t3/status", bytes("up"), lease.id()).get();
            assertTrue(client.keepAlive(lease.id()).get() > 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!client.rangeKey("/t3/status").get().kvs().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the key outlived its lease");
                Thread.sleep(100);
            }
            assertEquals(0, client.keepAlive(lease.id()).get());
        }
    }

    @Test
    void anErrorAnswerNamesWhatEtcdSaid() throws Exception {
        try (EtcdClient client = etcd.client()) {
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> client.put("/t4/x", bytes("x"), 12345).get());
            EtcdException etcdError = assertInstanceOf(EtcdException.class, e.getCause());
            assertTrue(etcdError.getMessage().contains("lease not found"), etcdError.getMessage());
            assertEquals(EtcdException.NOT_FOUND, etcdError.code());
        }
    }

    @Test
    void aDeadEndpointIsSkippedAndAllDeadNamesEach() throws Exception {
        URI dead = URI.create("http://127.0.0.1:" + closedPort());
        try (EtcdClient client = new EtcdClient(List.of(dead, etcd.endpoint()),
                new UrlEtcdTransport(Duration.ofSeconds(2), 1 << 20))) {
            client.put("/t5/x", bytes("x"), 0).get();
            assertEquals(etcd.endpoint(), client.preferredEndpoint());
        }
        try (EtcdClient client = new EtcdClient(List.of(dead, dead), new UrlEtcdTransport(Duration.ofSeconds(2), 1 << 20))) {
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> client.rangeKey("/x").get());
            EtcdUnavailableException unavailable = assertInstanceOf(EtcdUnavailableException.class, e.getCause());
            assertTrue(unavailable.getMessage().startsWith("no etcd endpoint answered: " + dead + " ("), unavailable.getMessage());
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
