package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.testsupport.ScriptedBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class PipelineDepthTest {
    @TempDir
    Path dir;

    /**
     * 3,000 small requests in one write, far more than one socket read brings: the proxy decodes
     * each only after the response before it, so every one is forwarded once and answered, in
     * order, on a connection that stays open.
     */
    @Test
    void everyPipelinedRequestIsAnsweredInOrder() throws Exception {
        int sent = 3000;
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = ScriptedBackend.answeringEachRequest();
             ProxyFixture proxy = new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend.address()),
                     null, TestConfigs.limits()));
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send(pipelined(sent, ""));
            for (int i = 0; i < sent; i++) {
                RawHttp.Response answer = raw.read();
                assertEquals("GET /" + i + " HTTP/1.1", answer.text(), "answers in order");
                assertNull(answer.header("connection"));
            }
            assertEquals(sent, heads(backend), "each request forwarded once");
        }
    }

    /**
     * A client that pipelines 3,000 requests with 3 KB answers (9 MB) and reads nothing: once its
     * unread answers fill the sockets (a 64 KB receive buffer, at most 4 MB of send buffer), the proxy stops decoding its requests, so the backend sees only
     * some of them and the proxy holds neither the rest nor their answers. When the client reads,
     * everything is answered in order.
     */
    @Test
    void aClientThatPipelinesWithoutReadingStopsBeingRead() throws Exception {
        int sent = 3000;
        String padding = "?" + "p".repeat(3000);
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = ScriptedBackend.answeringEachRequest();
             ProxyFixture proxy = new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend.address()),
                     null, TestConfigs.limits()));
             RawHttp raw = new RawHttp(proxy.port(), 64 * 1024)) {
            Thread sender = new Thread(() -> {
                try {
                    raw.send(pipelined(sent, padding));
                } catch (IOException ignored) {
                    // The assertions below say what went wrong.
                }
            });
            sender.setDaemon(true);
            sender.start();
            int forwarded = settledCount(backend);
            assertTrue(forwarded > 0 && forwarded < sent, forwarded + " of " + sent + " forwarded while the client read nothing");

            for (int i = 0; i < sent; i++) {
                assertEquals("GET /" + i + padding + " HTTP/1.1", raw.read().text(), "answers in order");
            }
            sender.join(10_000);
        }
    }

    /** Request heads the backend received so far. */
    private static int heads(ScriptedBackend backend) throws InterruptedException {
        String received = backend.receivedSoFar(0);
        int count = 0;
        for (int at = received.indexOf("\r\n\r\n"); at >= 0; at = received.indexOf("\r\n\r\n", at + 4)) {
            count++;
        }
        return count;
    }

    private static String pipelined(int count, String suffix) {
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < count; i++) {
            requests.append("GET /").append(i).append(suffix).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        return requests.toString();
    }

    /** The number of requests the backend received, once it stopped growing for a second (at most 20 s). */
    private static int settledCount(ScriptedBackend backend) throws InterruptedException {
        int last = -1;
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            int now = heads(backend);
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > 1_000_000_000L) {
                return now;
            }
            Thread.sleep(100);
        }
        return last;
    }
}
