package io.maintd.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A backend whose {@code /hold} responses wait until the test releases them (or 30 s pass),
 * so a test can have requests truly in flight at the moment it signals the daemon. Every
 * other path answers 200 at once with {@code backend NAME}.
 */
public final class HeldBackend implements AutoCloseable {
    static {
        // The JDK server writes the head and the body separately; with Nagle on, each response
        // then waits for the client's delayed ACK (~40 ms), which would thin the test load out.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Semaphore held = new Semaphore(0);
    private final String name;

    public HeldBackend(String name) throws IOException {
        this(name, 0);
    }

    /** On {@code port}: a backend that comes back where it was after {@link #close()}. */
    public HeldBackend(String name, int port) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/", this::answer);
        server.setExecutor(threads);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Waits until {@code count} requests are being held at the backend. */
    public void awaitHeld(int count) throws InterruptedException {
        if (!held.tryAcquire(count, 30, TimeUnit.SECONDS)) {
            throw new AssertionError(count + " requests did not reach the backend within 30 s");
        }
    }

    /** Lets every held request, and any later one, answer. */
    public void release() {
        release.countDown();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().equals("/hold")) {
                held.release();
                release.await(30, TimeUnit.SECONDS);
            }
            byte[] body = ("backend " + name + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
