package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.testsupport.ScriptedBackend;
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
     * A client that pipelines 1,000 requests for 16 KB answers (16 MB) and reads nothing: once its
     * unread answers fill the sockets (a 64 KB receive buffer, at most 4 MB of send buffer), the
     * proxy stops decoding its requests, so the backend sees only some of them and the proxy holds
     * neither the rest nor their answers. When the client reads, everything is answered in order.
     */
    @Test
    void aClientThatPipelinesWithoutReadingStopsBeingRead() throws Exception {
        int sent = 1000;
        String padding = " " + "p".repeat(16 * 1024);
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = new ScriptedBackend((index, socket, in, out) -> {
                 for (String head = ScriptedBackend.readHead(in); head != null; head = ScriptedBackend.readHead(in)) {
                     ScriptedBackend.respond(out, head.substring(0, head.indexOf("\r\n")) + padding);
                 }
             });
             ProxyFixture proxy = new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend.address()),
                     null, TestConfigs.limits()));
             RawHttp raw = new RawHttp(proxy.port(), 64 * 1024)) {
            raw.send(pipelined(sent, ""));
            int forwarded = settledCount(backend);
            assertTrue(forwarded > 0 && forwarded < sent, forwarded + " of " + sent + " forwarded while the client read nothing");

            for (int i = 0; i < sent; i++) {
                assertEquals("GET /" + i + " HTTP/1.1" + padding, raw.read().text(), "answers in order");
            }
        }
    }

    /**
     * The same with the maintenance page, which the proxy answers at once, with no backend to
     * slow it down: 6,000 pipelined requests for about 8 MB of pages. The proxy stops reading
     * requests once the client stops reading answers, instead of queueing every page.
     */
    @Test
    void pagesForAClientThatDoesNotReadAreNotQueuedWithoutBound() throws Exception {
        int sent = 6000;
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = ScriptedBackend.answeringEachRequest();
             ProxyFixture proxy = new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend.address()),
                     null, TestConfigs.limits()));
             RawHttp raw = new RawHttp(proxy.port(), 64 * 1024)) {
            flags.set("maint", 1);
            raw.send(pipelined(sent, ""));
            long answered = settled(() -> proxy.counters.requests(Route.MAINTENANCE));
            assertTrue(answered > 0 && answered < sent, answered + " of " + sent + " answered while the client read nothing");
            for (int i = 0; i < sent; i++) {
                assertEquals(503, raw.read().status());
            }
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

    private interface Count {
        long get() throws InterruptedException;
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
        return (int) settled(() -> heads(backend));
    }

    /** What {@code count} says once it stopped growing for a second (at most 20 s). */
    private static long settled(Count count) throws InterruptedException {
        long last = -1;
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            long now = count.get();
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
