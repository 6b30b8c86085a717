package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10: limits.max-connections, over real sockets. */
@Timeout(60)
class ConnectionCapTest {
    @TempDir
    Path dir;

    @Test
    void connectionsBeyondTheCapAreClosedAtAcceptCountedAndTheRestAreServed() throws Exception {
        List<RawHttp> clients = new ArrayList<>();
        try (TestBackend backend = new TestBackend("app");
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend.address()),
                     null, TestConfigs.limits(b -> b.maxConnections = 20)))) {
            for (int i = 0; i < 30; i++) {
                clients.add(new RawHttp(proxy.port()));
            }
            int served = 0;
            int closed = 0;
            for (RawHttp client : clients) {
                if (answers(client)) {
                    served++;
                } else {
                    closed++;
                }
            }
            assertEquals(20, served);
            assertEquals(10, closed);
            assertEquals(10, proxy.server.connectionCap().rejected());

            // A place freed by a client that leaves is taken by the next one.
            clients.remove(0).close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            boolean admitted = false;
            while (!admitted && System.nanoTime() < deadline) {
                try (RawHttp next = new RawHttp(proxy.port())) {
                    admitted = answers(next);
                }
            }
            assertEquals(true, admitted, "a new connection is served once one of the 20 has closed");
        } finally {
            for (RawHttp client : clients) {
                client.close();
            }
        }
    }

    /** True when the proxy served a request on the connection, false when it had closed it. */
    private static boolean answers(RawHttp client) {
        try {
            return client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status() == 200;
        } catch (IOException closedAtAccept) {
            return false;
        }
    }
}
