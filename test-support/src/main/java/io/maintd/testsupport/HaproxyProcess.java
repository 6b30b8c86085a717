package io.maintd.testsupport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real HAProxy child process with an admin stats socket, for tests that need the real load balancer. */
public final class HaproxyProcess implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final Path statsSocket;
    private final Path log;

    private HaproxyProcess(Process process, Path statsSocket, Path log) {
        this.process = process;
        this.statsSocket = statsSocket;
        this.log = log;
    }

    /**
     * Writes {@code global} (with the stats socket) plus {@code body} to a config in {@code dir}
     * and starts HAProxy in the foreground; returns once the stats socket answers.
     */
    public static HaproxyProcess start(Path dir, String body) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install haproxy (apt-get install -y haproxy)");
        }
        Path socket = dir.resolve("admin.sock");
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, "global\n"
                + "    stats socket " + socket + " mode 600 level admin\n"
                + "defaults\n"
                + "    mode http\n"
                + "    timeout connect 1s\n"
                + "    timeout client 5s\n"
                + "    timeout server 5s\n"
                // Without it a check times out after its own interval, too short on a busy machine.
                + "    timeout check 2s\n"
                + body);
        Path log = dir.resolve("haproxy.log");
        Process process = new ProcessBuilder(BINARY.toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        HaproxyProcess haproxy = new HaproxyProcess(process, socket, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("haproxy exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                haproxy.command("show info");
                return haproxy;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    haproxy.close();
                    throw new IllegalStateException("haproxy stats socket never answered: " + Files.readString(log), notYet);
                }
                Thread.sleep(50);
            }
        }
    }

    /** One CLI command over the stats socket; HAProxy answers and closes. */
    public String command(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(statsSocket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            StringBuilder out = new StringBuilder();
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                out.append(StandardCharsets.US_ASCII.decode(buffer));
                buffer.clear();
            }
            return out.toString();
        }
    }

    /** {@code show stat} for one server: column name to value, from the CSV header. */
    public Map<String, String> serverStat(String backend, String server) throws IOException {
        List<String> lines = command("show stat").lines().toList();
        List<String> header = Arrays.asList(lines.get(0).replaceFirst("^# ", "").split(",", -1));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            if (fields.length >= 2 && fields[0].equals(backend) && fields[1].equals(server)) {
                Map<String, String> stat = new HashMap<>();
                for (int i = 0; i < Math.min(header.size(), fields.length); i++) {
                    stat.put(header.get(i), fields[i]);
                }
                return stat;
            }
        }
        throw new IllegalStateException("no " + backend + "/" + server + " in show stat:\n" + String.join("\n", lines));
    }

    /**
     * Waits until the server's {@code status} column starts with {@code status} ("UP", "DRAIN",
     * "MAINT"; "UP 1/3" counts as UP); fails with the last status and HAProxy's log after {@code timeout}.
     */
    public void awaitServerStatus(String backend, String server, String status, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        do {
            last = serverStat(backend, server).get("status");
            if (last.startsWith(status)) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(server + " never reached " + status + "; last " + last + "\nhaproxy log:\n" + log());
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
