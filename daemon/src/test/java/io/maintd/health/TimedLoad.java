package io.maintd.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Keep-alive GETs from a few client threads for at most {@code limit}, every response counted
 * in a 10 ms slot of when it completed: as a success (2xx, counted under the body's
 * {@code backend NAME}) or as an error (any other status, or an I/O failure). Tests then ask
 * for counts between two instants they took with {@link System#nanoTime()}.
 */
final class TimedLoad implements AutoCloseable {
    private static final long SLOT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final URI uri;
    private final long startNanos = System.nanoTime();
    private final int slots;
    private final AtomicLongArray errors;
    private final Map<String, AtomicLongArray> served = new ConcurrentHashMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    private TimedLoad(URI uri, Duration limit) {
        this.uri = uri;
        this.slots = (int) (limit.toNanos() / SLOT_NANOS) + 1;
        this.errors = new AtomicLongArray(slots);
    }

    static TimedLoad start(URI uri, int clients, Duration limit) {
        TimedLoad load = new TimedLoad(uri, limit);
        long deadline = load.startNanos + limit.toNanos();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> load.run(deadline), "timed-load-" + i);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void run(long deadline) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
        while (!stopped.get() && System.nanoTime() < deadline) {
            String backend = null;
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    backend = response.body().strip().replace("backend ", "");
                }
            } catch (InterruptedException e) {
                return;
            } catch (java.io.IOException e) {
                // Counted as an error below, like any non-2xx answer.
            }
            int slot = (int) Math.min(slots - 1, (System.nanoTime() - startNanos) / SLOT_NANOS);
            (backend == null ? errors : served.computeIfAbsent(backend, b -> new AtomicLongArray(slots))).incrementAndGet(slot);
        }
    }

    void stop() throws InterruptedException {
        stopped.set(true);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(20));
        }
    }

    /** Errors that completed in [{@code fromNanos}, {@code toNanos}). */
    long errors(long fromNanos, long toNanos) {
        return sum(errors, fromNanos, toNanos);
    }

    /** Successes by backend {@code name} that completed in [{@code fromNanos}, {@code toNanos}). */
    long served(String name, long fromNanos, long toNanos) {
        AtomicLongArray counts = served.get(name);
        return counts == null ? 0 : sum(counts, fromNanos, toNanos);
    }

    /** Successes by backend {@code name} since the start. */
    long served(String name) {
        AtomicLongArray counts = served.get(name);
        long total = 0;
        for (int i = 0; counts != null && i < slots; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** One line per second from {@code fromNanos}: successes by backend and errors, for failure messages. */
    String bySecond(long fromNanos, int seconds) {
        StringBuilder out = new StringBuilder();
        for (int s = 0; s < seconds; s++) {
            long from = fromNanos + TimeUnit.SECONDS.toNanos(s);
            long to = from + TimeUnit.SECONDS.toNanos(1);
            out.append("second ").append(s).append(": errors ").append(errors(from, to));
            served.keySet().stream().sorted().forEach(name -> out.append(", ").append(name).append(' ')
                    .append(served(name, from, to)));
            out.append('\n');
        }
        return out.toString();
    }

    private long sum(AtomicLongArray counts, long fromNanos, long toNanos) {
        int from = (int) Math.max(0, Math.min(slots, Math.floorDiv(fromNanos - startNanos, SLOT_NANOS)));
        int to = (int) Math.max(0, Math.min(slots, Math.floorDiv(toNanos - startNanos, SLOT_NANOS)));
        long total = 0;
        for (int i = from; i < to; i++) {
            total += counts.get(i);
        }
        return total;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
