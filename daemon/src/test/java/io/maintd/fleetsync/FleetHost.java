package io.maintd.fleetsync;

import io.maintd.testsupport.MaintdProcess;
import io.maintd.flagfile.AuditLog;
import io.maintd.flagfile.FlagFile;
import io.maintd.metrics.PrometheusText;
import java.io.IOException;
import io.maintd.fleet.JsonFields;
import io.maintd.fleet.JsonReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * One maintd process in a fleet, for tests: its own directory and flag file, host {@code name}
 * of {@code service}, watching the given etcd endpoints. Restarts come back on the same ports.
 */
final class FleetHost implements AutoCloseable {
    private static final long WAIT_SECONDS = 45;

    final String name;
    final Path dir;
    private final int backendPort;
    private final String extra;
    private Path config;
    MaintdProcess maintd;

    /**
     * @param extra more top-level YAML after the fleet section (e.g. {@code agent: AGENT}, which
     *              becomes the agent port the first start got)
     */
    FleetHost(Path root, String name, String service, List<URI> etcd, int backendPort, String extra, String fleetExtra)
            throws IOException {
        this.name = name;
        this.dir = Files.createDirectories(root.resolve(name));
        this.backendPort = backendPort;
        this.extra = "fleet:\n"
                + "  etcd: [" + String.join(", ", etcd.stream().map(URI::toString).toList()) + "]\n"
                + "  service: " + service + "\n"
                + "  host: " + name + "\n"
                + fleetExtra
                + extra;
    }

    FleetHost start() throws IOException, InterruptedException {
        if (config == null) {
            maintd = MaintdProcess.start(MaintdProcess.config(dir, backendPort, extra.replace("AGENT", "127.0.0.1:0")), Map.of());
            config = maintd.pinPorts(dir.resolve("maintd.yaml"), backendPort, extra);
        } else {
            maintd = MaintdProcess.start(config, Map.of());
        }
        return this;
    }

    /** SIGTERM, wait for the drain to finish, start again on the same ports and flag file. */
    void restart() throws IOException, InterruptedException {
        stop();
        start();
    }

    void stop() throws IOException, InterruptedException {
        maintd.signal("TERM");
        int code = maintd.awaitExit();
        if (code != 0) {
            throw new AssertionError(name + " exited " + code + ":\n" + maintd.log());
        }
    }

    Path flags() {
        return dir.resolve("flags");
    }

    long flag(String flag) {
        try (FlagFile file = FlagFile.openReadOnly(flags())) {
            return file.reader().handle(flag).get();
        }
    }

    /** Waits until the flag holds {@code value}; returns the wall-clock time it was first seen. */
    long awaitFlag(String flag, long value) throws InterruptedException {
        return awaitFlag(flag, v -> v == value, "== " + value);
    }

    long awaitFlag(String flag, LongPredicate condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try (FlagFile file = FlagFile.openReadOnly(flags())) {
            var handle = file.reader().handle(flag);
            while (true) {
                long v = handle.get();
                if (condition.test(v)) {
                    return System.currentTimeMillis();
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(name + ": " + flag + " is " + v + ", not " + what + " after " + WAIT_SECONDS
                            + " s; log:\n" + log());
                }
                Thread.sleep(5);
            }
        }
    }

    String log() {
        try {
            return maintd.log();
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    List<String> auditLines(String fragment) throws IOException {
        Path log = AuditLog.pathFor(flags());
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains(fragment)).toList() : List.of();
    }

    private String admin(String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + maintd.port("admin") + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The {@code fleet} object of {@code /status}. */
    JsonFields fleetStatus() throws Exception {
        return JsonReader.parseObject(admin("/status")).object("fleet");
    }

    double metric(String name) throws Exception {
        Double value = PrometheusText.parse(admin("/metrics")).get(name);
        if (value == null) {
            throw new AssertionError("no " + name + " in /metrics");
        }
        return value;
    }

    /** Waits until {@code /metrics} shows {@code name} at {@code value}. */
    void awaitMetric(String name, double value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        double last;
        while ((last = metric(name)) != value) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(this.name + ": " + name + " is " + last + ", not " + value + "; log:\n" + log());
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (maintd != null) {
            maintd.close();
        }
    }
}
