package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.testsupport.ScriptedBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ProxyStreamingTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /**
     * The proxy runs in a JVM with 64 MiB of heap and 32 MiB of direct memory; a 1 GiB upload
     * and a 512 MiB download only pass through it if bodies are streamed with back-pressure.
     */
    @Test
    void gigabyteUploadAndHalfGigabyteDownloadPassThroughAProxyWithBoundedMemory() throws Exception {
        try (TestBackend backend = new TestBackend("app")) {
            Process proxy = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-XX:MaxDirectMemorySize=32m",
                    "-cp", System.getProperty("java.class.path"), ProxyProcess.class.getName(),
                    dir.toString(), String.valueOf(backend.address().getPort()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.US_ASCII));
                String ready = out.readLine();
                assertTrue(ready != null && ready.startsWith("port "), "proxy said " + ready);
                URI base = URI.create("http://127.0.0.1:" + ready.substring(5));

                HttpResponse<String> upload = client.send(HttpRequest.newBuilder(base.resolve("/count"))
                        .POST(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> new PatternedStream(GIB)), GIB))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, upload.statusCode());
                assertEquals(String.valueOf(GIB), upload.body());

                long size = GIB / 2;
                HttpResponse<InputStream> download = client.send(
                        HttpRequest.newBuilder(base.resolve("/bytes?n=" + size + "&chunked")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, download.statusCode());
                assertEquals(size, verifyPattern(download.body()));
                assertTrue(proxy.isAlive(), "the proxy process survived");
            } finally {
                proxy.getOutputStream().close();
                if (!proxy.waitFor(30, TimeUnit.SECONDS)) {
                    proxy.destroyForcibly();
                }
            }
        }
    }

    /**
     * A client that stops reading must stall the backend, not fill the proxy: once the socket
     * buffers on both hops are full the backend's writes block, far short of the body.
     */
    @Test
    void clientThatStopsReadingStallsTheBackendInsteadOfFillingTheProxy() throws Exception {
        long size = 256L << 20;
        try (TestBackend backend = new TestBackend("app");
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = new ProxyFixture(flags,
                     TestConfigs.config(flags.path(), List.of(backend.address()), null, TestConfigs.limits()));
             Socket client = new Socket("127.0.0.1", proxy.port())) {
            client.getOutputStream().write(("GET /bytes?n=" + size + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);

            long stalledAt = awaitStall(backend.bytesSent);
            assertTrue(stalledAt < 64L << 20, "backend stalled after " + stalledAt + " bytes, not " + size);

            // Reading again resumes the stream, and every byte arrives in order.
            assertEquals(size, verifyPattern(new LimitedStream(in, size)));
            assertEquals(size, backend.bytesSent.get());
        }
    }

    /**
     * A server that sends a whole response and closes at once (as an HTTP/1.0 server does, or one
     * answering with {@code Connection: close}), to a client that reads slowly. At the close the
     * kernel hands the proxy the rest of the body at once; it used to drop what it had decoded
     * ahead of the client, cut the response short and count it as a 200 all the same.
     */
    @Test
    void aResponseWhoseServerClosedRightAfterSendingItReachesASlowClientWhole() throws Exception {
        int size = 4 << 20;
        try (ScriptedBackend backend = new ScriptedBackend((index, socket, in, out) -> {
                ScriptedBackend.readHead(in);
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] block = Patterned.block();
                for (int sent = 0; sent < size; sent += block.length) {
                    out.write(block);
                }
                out.flush();
             });
             TestFlags flags = TestFlags.create(dir);
             ProxyFixture proxy = new ProxyFixture(flags,
                     TestConfigs.config(flags.path(), List.of(backend.address()), null, TestConfigs.limits()));
             Socket client = new Socket()) {
            client.setReceiveBufferSize(16 << 10);
            client.connect(new InetSocketAddress("127.0.0.1", proxy.port()));
            client.setSoTimeout(30_000);
            client.getOutputStream().write("GET /large HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            assertTrue(readHead(in).startsWith("HTTP/1.1 200"));

            // 16 KiB every 5 ms: the server has sent everything and closed long before the client is done.
            byte[] buffer = new byte[16 << 10];
            long offset = 0;
            while (offset < size) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(Patterned.at(offset + i), buffer[i], "byte " + (offset + i));
                }
                offset += n;
                Thread.sleep(5);
            }
            assertEquals(size, offset, "the whole body");
            assertEquals(1, proxy.counters.requests(Route.BACKEND, 2));
        }
    }

    /** The response head, read byte by byte so no body byte is consumed. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** The first {@code limit} bytes of a stream, then end of stream. */
    private static final class LimitedStream extends InputStream {
        private final InputStream in;
        private long left;

        LimitedStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** Waits until {@code progress} has not moved for a second; bounded by the test timeout. */
    private static long awaitStall(AtomicLong progress) throws InterruptedException {
        long last = -1;
        int quiet = 0;
        while (quiet < 5) {
            Thread.sleep(200);
            long now = progress.get();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
        return last;
    }

    /** Each chunk comes back through the proxy before the next is sent: nothing is aggregated. */
    @Test
    void chunkedBodiesStreamBothWaysChunkByChunk() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             TestBackend backend = new TestBackend("app");
             ProxyFixture proxy = new ProxyFixture(flags,
                     TestConfigs.config(flags.path(), List.of(backend.address()), null, TestConfigs.limits()));
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            raw.send(chunk("first"));
            RawHttp.Response head = raw.readHead();
            assertEquals(200, head.status());
            assertEquals("chunked", head.header("transfer-encoding"));
            assertEquals("first", new String(raw.readChunk(), StandardCharsets.US_ASCII));
            for (String piece : new String[] {"second", "third"}) {
                raw.send(chunk(piece));
                assertEquals(piece, new String(raw.readChunk(), StandardCharsets.US_ASCII));
            }
            raw.send("0\r\n\r\n");
            assertArrayEquals(new byte[0], raw.readChunk());
            // The connection is still good for another request.
            assertEquals(200, raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
        }
    }

    @Test
    void http10ClientGetsAChunkedUpstreamBodyUnchunkedAndThenTheConnectionCloses() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             TestBackend backend = new TestBackend("app");
             ProxyFixture proxy = new ProxyFixture(flags,
                     TestConfigs.config(flags.path(), List.of(backend.address()), null, TestConfigs.limits()));
             RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response response = raw.send("GET /bytes?n=100000&chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                    .read();
            assertEquals(200, response.status());
            assertEquals(null, response.header("transfer-encoding"));
            assertEquals("close", response.header("connection"));
            assertEquals(100_000, response.body().length);
            assertEquals(Patterned.at(99_999), response.body()[99_999]);
        }
    }

    @Test
    void proxiedHeadGetsHeadersOnlyAndTheConnectionStaysUsable() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             TestBackend backend = new TestBackend("app");
             ProxyFixture proxy = new ProxyFixture(flags,
                     TestConfigs.config(flags.path(), List.of(backend.address()), null, TestConfigs.limits()));
             RawHttp raw = new RawHttp(proxy.port())) {
            RawHttp.Response head = raw.send("HEAD /bytes?n=5000 HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertEquals(200, head.status());
            assertEquals(null, head.header("transfer-encoding"), "a bodyless response is not re-framed");
            // Had any body bytes followed the head, they would be read as this response's status line.
            assertEquals("app GET /after\n", raw.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
        }
    }

    @Test
    void expectContinueIsRelayedSoTheClientSendsItsBody() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             TestBackend backend = new TestBackend("app");
             ProxyFixture proxy = new ProxyFixture(flags,
                     TestConfigs.config(flags.path(), List.of(backend.address()), null, TestConfigs.limits()));
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, raw.readHead().status());
            RawHttp.Response response = raw.send("hello").read();
            assertEquals(200, response.status());
            assertEquals("5", response.text());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             TestBackend backend = new TestBackend("app");
             ProxyFixture proxy = new ProxyFixture(flags,
                     TestConfigs.config(flags.path(), List.of(backend.address()), null, TestConfigs.limits()));
             RawHttp raw = new RawHttp(proxy.port())) {
            raw.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("app GET /a\n", raw.read().text());
            assertEquals("app GET /b\n", raw.read().text());
            assertEquals("app GET /c\n", raw.read().text());
        }
    }

    /** A page answered by the proxy itself must not overtake a proxied response queued before it. */
    @Test
    void pipelinedPagesAndProxiedResponsesKeepTheirOrder() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             TestBackend backend = new TestBackend("app");
             ProxyFixture proxy = new ProxyFixture(flags,
                     TestConfigs.config(flags.path(), List.of(backend.address()), null, TestConfigs.limits()));
             RawHttp raw = new RawHttp(proxy.port())) {
            flags.set("maint", 1);
            String bypass = "X-Maintd-Bypass: " + TestFlags.BYPASS_TOKEN + "\r\n";
            raw.send("GET /a HTTP/1.1\r\nHost: x\r\n" + bypass + "\r\n"
                    + "GET /b HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n"
                    + "GET /c HTTP/1.1\r\nHost: x\r\n" + bypass + "\r\n");
            assertEquals("app GET /a\n", raw.read().text());
            assertEquals("{\"status\":\"maintenance\",\"retry_after\":120}", raw.read().text());
            assertEquals("app GET /c\n", raw.read().text());
        }
    }

    @Test
    void webSocketEchoesThroughTheProxy() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             WebSocketEchoServer echo = new WebSocketEchoServer();
             ProxyFixture proxy = new ProxyFixture(flags,
                     TestConfigs.config(flags.path(), List.of(echo.address()), null, TestConfigs.limits()))) {
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket socket = client.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            received.add(data.toString());
                            ws.request(1);
                            return CompletableFuture.completedFuture(null);
                        }
                    })
                    .get(30, TimeUnit.SECONDS);
            for (String text : new String[] {"hello", "through", "the tunnel"}) {
                socket.sendText(text, true).get(30, TimeUnit.SECONDS);
                assertEquals("echo: " + text, received.poll(30, TimeUnit.SECONDS));
            }
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(30, TimeUnit.SECONDS);
            assertEquals(1, proxy.counters.requestsWithStatusClass(1), "the upgrade is counted with its 101");
        }
    }

    private static byte[] chunk(String text) {
        return (Integer.toHexString(text.length()) + "\r\n" + text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the stream to its end, checking every byte against the pattern; returns the length. */
    private static long verifyPattern(InputStream in) throws IOException {
        try (in) {
            byte[] buffer = new byte[64 * 1024];
            long offset = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != Patterned.at(offset + i)) {
                        throw new AssertionError("byte " + (offset + i) + " is wrong");
                    }
                }
                offset += n;
            }
            return offset;
        }
    }

    /** {@code length} patterned bytes, generated as they are read. */
    private static final class PatternedStream extends InputStream {
        private final byte[] block = Patterned.block();
        private final long length;
        private long position;

        PatternedStream(long length) {
            this.length = length;
        }

        @Override
        public int read() {
            return position < length ? block[(int) (position++ % Patterned.BLOCK)] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= length) {
                return -1;
            }
            int offsetInBlock = (int) (position % Patterned.BLOCK);
            int n = (int) Math.min(Math.min(len, Patterned.BLOCK - offsetInBlock), length - position);
            System.arraycopy(block, offsetInBlock, b, off, n);
            position += n;
            return n;
        }
    }
}
