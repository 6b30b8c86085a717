package io.maintd.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP backend whose response time the test sets: every request waits {@link #delay}
 * before its response head ({@code /slow} ten times as long), so the upstream latency maintd
 * measures is known. {@code /fail} answers 500 (a backend error); everything else 200.
 */
public final class DelayedBackend implements AutoCloseable {
    static {
        // The JDK server writes the head and the body in separate segments; with Nagle on, the
        // body waits for the proxy's delayed ACK (~40 ms) after the head maintd timed, and the
        // client then sees ~45 ms more than the upstream latency (measured: p50 70 ms for 22 ms).
        // Read once, when the JDK's server config loads: set before any HttpServer in this JVM.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(64, r -> {
        Thread t = new Thread(r, "delayed-backend");
        t.setDaemon(true);
        return t;
    });
    private volatile long delayMillis;

    public DelayedBackend(long delayMillis) throws IOException {
        this.delayMillis = delayMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(threads);
        server.createContext("/", this::answer);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** From now on, each response waits {@code millis}. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            TimeUnit.MILLISECONDS.sleep(path.startsWith("/slow") ? 10 * delayMillis : delayMillis);
            boolean fail = path.startsWith("/fail");
            byte[] body = (fail ? "failed" : "ok").getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(fail ? 500 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
