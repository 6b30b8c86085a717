package io.maintd.fleet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-member etcd ({@code /usr/bin/etcd}, Debian's etcd-server) on free loopback ports
 * with its own data directory, for every test that needs the fleet's store. {@link #kill()} and
 * {@link #restart()} keep the ports and the data, as an outage does. Its output goes to
 * {@code etcd.log} in the data directory's parent.
 */
public final class EtcdProcess implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/etcd");
    private static final long START_SECONDS = 30;

    private final Path dir;
    private final int clientPort;
    private final int peerPort;
    private Process process;

    private EtcdProcess(Path dir, int clientPort, int peerPort) {
        this.dir = dir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
    }

    /** Starts etcd with its data under {@code dir}; returns once it answers a read. */
    public static EtcdProcess start(Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install etcd (apt-get install -y etcd-server etcd-client)");
        }
        Files.createDirectories(dir);
        // A port the OS said was free can be taken before etcd binds it; try again with others.
        for (int attempt = 1; ; attempt++) {
            EtcdProcess etcd = new EtcdProcess(dir, freePort(), freePort());
            try {
                etcd.launch();
                return etcd;
            } catch (IllegalStateException e) {
                etcd.close();
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + clientPort);
    }

    public List<URI> endpoints() {
        return List.of(endpoint());
    }

    /** A client over the JDK transport, as flagctl builds it. */
    public EtcdClient client() {
        return new EtcdClient(endpoints(), new UrlEtcdTransport(Duration.ofSeconds(5), 16 << 20));
    }

    /** kill -9: no goodbye to clients, as a crash or a pulled cable. The data stays. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(START_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Starts it again on the same ports and data, after {@link #kill()}. */
    public void restart() throws IOException, InterruptedException {
        kill();
        launch();
    }

    /** Drops history up to {@code revision}, as etcd's auto-compaction would; a watch resuming before it is cancelled. */
    public void compact(long revision) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint().resolve("/v3/kv/compaction"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"revision\":\"" + revision + "\",\"physical\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("compaction to " + revision + " failed: " + r.body());
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public String log() throws IOException {
        Path log = logFile();
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private Path logFile() {
        return dir.resolveSibling(dir.getFileName() + "-etcd.log");
    }

    private void launch() throws IOException, InterruptedException {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        process = new ProcessBuilder(BINARY.toString(),
                "--name", "fixture",
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "fixture=" + peer,
                // A one-member cluster elects itself after one election timeout; keep that short.
                "--heartbeat-interval", "50", "--election-timeout", "250",
                "--logger", "zap", "--log-outputs", "stderr", "--log-level", "warn")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        try (EtcdClient probe = new EtcdClient(endpoints(), new UrlEtcdTransport(Duration.ofSeconds(1), 1 << 20))) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("etcd exited with " + process.exitValue() + ": " + log());
                }
                try {
                    probe.rangeKey("/probe").get(2, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("etcd did not answer within " + START_SECONDS + " s: " + log(), notYet);
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
