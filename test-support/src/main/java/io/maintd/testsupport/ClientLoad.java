package io.maintd.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;

/**
 * Keep-alive GETs from a few client threads for at most {@code limit}, cycling through
 * {@code paths}; every answer is kept with when it completed, its status and how long it took
 * as the client saw it. The test's own count, against which the daemon's load facts are judged.
 * An I/O failure is kept with status 0.
 */
public final class ClientLoad implements AutoCloseable {
    /** One answer: completion time ({@link System#nanoTime()}), status, latency seen by the client. */
    public record Answer(long doneNanos, int status, long latencyNanos) {
    }

    private final List<Answer> answers = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    private ClientLoad() {
    }

    public static ClientLoad start(URI base, List<String> paths, int clients, Duration limit) {
        ClientLoad load = new ClientLoad();
        long deadline = System.nanoTime() + limit.toNanos();
        for (int i = 0; i < clients; i++) {
            int first = i;
            Thread thread = new Thread(() -> load.run(base, paths, first, deadline), "client-load-" + i);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void run(URI base, List<String> paths, int first, long deadline) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (int n = first; !stopped.get() && System.nanoTime() < deadline; n++) {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(paths.get(n % paths.size())))
                    .timeout(Duration.ofSeconds(20)).build();
            long start = System.nanoTime();
            int status = 0;
            try {
                status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // Kept with status 0 below.
            }
            long done = System.nanoTime();
            synchronized (answers) {
                answers.add(new Answer(done, status, done - start));
            }
        }
    }

    /** Answers completed in [{@code fromNanos}, {@code toNanos}) whose status passes {@code status}. */
    public long count(long fromNanos, long toNanos, IntPredicate status) {
        return between(fromNanos, toNanos).stream().filter(a -> status.test(a.status())).count();
    }

    /** The client-side latency below which {@code fraction} of the 200s in the interval fall, in ms. */
    public double latencyMillis(long fromNanos, long toNanos, double fraction) {
        List<Long> sorted = between(fromNanos, toNanos).stream().filter(a -> a.status() == 200)
                .map(Answer::latencyNanos).sorted().toList();
        if (sorted.isEmpty()) {
            throw new AssertionError("no 200 answer between the two instants");
        }
        int rank = (int) Math.max(1, Math.ceil(fraction * sorted.size()));
        return sorted.get(rank - 1) / 1e6;
    }

    private List<Answer> between(long fromNanos, long toNanos) {
        synchronized (answers) {
            return answers.stream().filter(a -> a.doneNanos() >= fromNanos && a.doneNanos() < toNanos).toList();
        }
    }

    public void stop() throws InterruptedException {
        stopped.set(true);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
