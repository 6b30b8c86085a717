package io.maintd.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keep-alive GETs from a few client threads (through HAProxy, typically), every 200 counted by
 * the backend that served it ({@code backend NAME} bodies, as {@code HeldBackend} answers) and
 * everything else recorded as a failure. Bounded: each client stops after a request cap or a
 * time limit even if the test never stops it.
 */
public final class ClientLoad {
    private static final int MAX_REQUESTS_PER_CLIENT = 200_000;
    private static final long MAX_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, LongAdder> served = new ConcurrentHashMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong total = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final URI uri;

    private ClientLoad(URI uri) {
        this.uri = uri;
    }

    public static ClientLoad start(URI uri, int clients) {
        ClientLoad load = new ClientLoad(uri);
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(load::run, "load-" + i);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void run() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + MAX_NANOS;
        for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && !stopped.get() && System.nanoTime() < deadline; i++) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                total.incrementAndGet();
                if (response.statusCode() != 200) {
                    failures.add(response.statusCode() + " " + response.body().strip());
                } else {
                    served.computeIfAbsent(response.body().strip().replace("backend ", ""), k -> new LongAdder()).increment();
                }
            } catch (Exception e) {
                failures.add(e.toString());
            }
        }
    }

    /** Responses other than 200, and errors, so far. */
    public List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    public long servedBy(String name) {
        LongAdder adder = served.get(name);
        return adder == null ? 0 : adder.sum();
    }

    public long total() {
        return total.get();
    }

    /** Waits until {@code name} has served {@code count} requests; fails after a minute or when the clients stopped. */
    public void awaitServedBy(String name, long count) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (servedBy(name) < count) {
            if (System.nanoTime() > deadline || threads.stream().noneMatch(Thread::isAlive)) {
                throw new AssertionError(name + " served " + servedBy(name) + " requests, expected " + count
                        + "; failures " + failures());
            }
            Thread.sleep(20);
        }
    }

    public void stop() throws InterruptedException {
        stopped.set(true);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }
}
