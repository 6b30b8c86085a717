package io.maintd.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP backend whose {@code /held} requests wait until the test {@link #release}s them,
 * so a test knows exactly how many requests are in flight without sleeping. Everything else
 * is answered {@code 200 ok} at once.
 */
final class HeldBackend implements AutoCloseable {
    static {
        // Without it the JDK server's separate header and body writes meet delayed ACKs.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "held-backend");
        t.setDaemon(true);
        return t;
    });
    private final Semaphore arrived = new Semaphore(0);
    private final CountDownLatch released = new CountDownLatch(1);

    HeldBackend() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", exchange -> answer(exchange, "ok\n"));
        server.createContext("/held", this::held);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Blocks until {@code n} held requests have reached the backend. */
    void awaitHeld(int n) throws InterruptedException {
        if (!arrived.tryAcquire(n, 30, TimeUnit.SECONDS)) {
            throw new AssertionError("only " + arrived.availablePermits() + " of " + n + " held requests arrived");
        }
    }

    /** Lets every held request, present and future, answer. */
    void release() {
        released.countDown();
    }

    private void held(HttpExchange exchange) throws IOException {
        arrived.release();
        try {
            if (!released.await(60, TimeUnit.SECONDS)) {
                throw new IOException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        answer(exchange, "held ok\n");
    }

    private static void answer(HttpExchange exchange, String text) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
