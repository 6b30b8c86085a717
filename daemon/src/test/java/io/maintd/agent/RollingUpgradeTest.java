package io.maintd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.maintd.testsupport.HaproxyProcess;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.MaintdProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed scenario end to end: a real HAProxy in front of two real maintd processes (each with
 * its own flag file, backend and agent-check port), client load through HAProxy the whole time,
 * and for each instance in turn: drain with flagctl, see HAProxy show DRAIN, wait for in-flight
 * 0 with flagctl, SIGTERM, start it again on the same flag file, undrain, see HAProxy show UP.
 * Not one request may fail.
 */
@Timeout(300)
class RollingUpgradeTest {
    private static final int CLIENTS = 2;
    /** Bounds the load if the scenario hangs; it normally stops far earlier. */
    private static final int MAX_REQUESTS_PER_CLIENT = 200_000;
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path dir;

    /** One maintd with its own backend, flag file and fixed ports (so a restart comes back where HAProxy looks). */
    private static final class Instance implements AutoCloseable {
        final String name;
        final Path dir;
        final HeldBackend backend;
        Path config;
        MaintdProcess maintd;

        Instance(String name, Path dir) throws Exception {
            this.name = name;
            this.dir = Files.createDirectories(dir);
            this.backend = new HeldBackend(name);
        }

        void start() throws Exception {
            if (config == null) {
                maintd = MaintdProcess.start(MaintdProcess.config(dir, backend.port(), "agent: 127.0.0.1:0"), Map.of());
                config = maintd.pinPorts(dir.resolve("maintd.yaml"), backend.port(), "agent: AGENT");
            } else {
                maintd = MaintdProcess.start(config, Map.of());
            }
        }

        String serverLine() throws Exception {
            return "    server " + name + " 127.0.0.1:" + maintd.port("http") + " check inter 200ms"
                    + " agent-check agent-port " + maintd.port("agent") + " agent-inter 200ms\n";
        }

        String flagctl(String... args) throws Exception {
            return FlagctlRun.run(dir.resolve("flags"), args).ok().out();
        }

        @Override
        public void close() throws Exception {
            if (maintd != null) {
                maintd.close();
            }
            backend.close();
        }
    }

    @Test
    void drainStopStartUndrainEachInstanceLosesNoRequestAndBothServeAfter() throws Exception {
        try (Instance a = new Instance("a", dir.resolve("a")); Instance b = new Instance("b", dir.resolve("b"))) {
            a.start();
            b.start();
            int front = MaintdProcess.freePort();
            try (HaproxyProcess haproxy = HaproxyProcess.start(dir, "frontend www\n"
                    + "    bind 127.0.0.1:" + front + "\n"
                    + "    default_backend app\n"
                    + "backend app\n"
                    + "    balance roundrobin\n"
                    // Only a refused connect is retried (on the other instance): a request that reached
                    // maintd and lost its answer would be a failure here, not hidden by a retry.
                    + "    option redispatch\n"
                    + "    retries 3\n"
                    + "    retry-on conn-failure\n"
                    + a.serverLine() + b.serverLine())) {
                awaitStatus(haproxy, "a", "UP");
                awaitStatus(haproxy, "b", "UP");
                Load load = new Load(URI.create("http://127.0.0.1:" + front + "/"));
                load.start();
                try {
                    load.awaitServedBy("a", 1);
                    load.awaitServedBy("b", 1);
                    for (Instance instance : List.of(a, b)) {
                        upgrade(haproxy, instance);
                    }
                    long aBefore = load.servedBy("a");
                    long bBefore = load.servedBy("b");
                    load.awaitServedBy("a", aBefore + 1);
                    load.awaitServedBy("b", bBefore + 1);
                } finally {
                    load.stop();
                }
                assertEquals(List.of(), load.failures, "responses other than 200, or errors");
                System.out.println("rolling upgrade: " + load.total() + " responses, a " + load.servedBy("a")
                        + ", b " + load.servedBy("b") + ", 0 failed");
            }
        }
    }

    private static void upgrade(HaproxyProcess haproxy, Instance instance) throws Exception {
        instance.flagctl("set", "drain", "1", "--reason", "rolling upgrade test");
        awaitStatus(haproxy, instance.name, "DRAIN");
        instance.flagctl("wait", "inflight", "--le", "0", "--timeout", "60s");
        instance.maintd.signal("TERM");
        assertEquals(0, instance.maintd.awaitExit(), instance.maintd.log());
        instance.start();
        instance.flagctl("set", "drain", "0", "--reason", "rolling upgrade test");
        awaitStatus(haproxy, instance.name, "UP");
    }

    private static void awaitStatus(HaproxyProcess haproxy, String server, String status) throws Exception {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        String last;
        do {
            last = haproxy.serverStat("app", server).get("status");
            if (last.startsWith(status)) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        fail(server + " never reached " + status + "; last " + last + "\nhaproxy log:\n" + haproxy.log());
    }

    /** Keep-alive GETs through HAProxy from a few threads, every response counted by who served it. */
    private static final class Load {
        final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Map<String, LongAdder> served = new ConcurrentHashMap<>();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicLong total = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();
        private final URI uri;

        Load(URI uri) {
            this.uri = uri;
        }

        void start() {
            for (int i = 0; i < CLIENTS; i++) {
                Thread thread = new Thread(this::run, "load-" + i);
                threads.add(thread);
                thread.start();
            }
        }

        private void run() {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && !stopped.get(); i++) {
                try {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
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

        long servedBy(String name) {
            LongAdder adder = served.get(name);
            return adder == null ? 0 : adder.sum();
        }

        long total() {
            return total.get();
        }

        void awaitServedBy(String name, long count) throws InterruptedException {
            long deadline = System.nanoTime() + SETTLE_NANOS;
            while (servedBy(name) < count) {
                if (System.nanoTime() > deadline || threads.stream().noneMatch(Thread::isAlive)) {
                    fail(name + " served " + servedBy(name) + " requests, expected " + count + "; failures " + failures);
                }
                Thread.sleep(20);
            }
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            for (Thread thread : threads) {
                thread.join(30_000);
            }
        }
    }
}
