package io.maintd.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real maintd in its own process, its output in a log file the test reads as the handshake:
 * "running" means every listener is up. Started from the test class path
 * ({@code MaintdMain --config FILE}, {@link #start}) or as operators start it, through the
 * repository's {@code bin/maintd} launcher ({@link #startLauncher}). Signals go through kill(1),
 * exactly as an operator or systemd would send them; {@link #get} and friends talk HTTP to its ports.
 */
public final class MaintdProcess implements AutoCloseable {
    /** Generous: a JVM start on a busy 2-core machine; only a safety net, never a measurement. */
    private static final long WAIT_SECONDS = 45;
    /** maintd's main class, run from the test class path (the daemon module's tests have it). */
    private static final String MAIN = "io.maintd.daemon.MaintdMain";
    private static final Pattern LISTENER = Pattern.compile("listener (\\w+): (?:bound|adopted) .*?(\\d+\\.\\d+\\.\\d+\\.\\d+):(\\d+)");

    private final Process process;
    private final Path config;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private MaintdProcess(Process process, Path config, Path log) {
        this.process = process;
        this.config = config;
        this.log = log;
    }

    /**
     * Writes {@code maintd.yaml} in {@code dir}: flag file {@code dir/flags}, proxy and admin on
     * free loopback ports (see {@link #port}), everything to {@code backend}, then {@code extra}
     * (more top-level keys, e.g. {@code drain:} or {@code agent:}).
     */
    public static Path config(Path dir, int backendPort, String extra) throws IOException {
        return config(dir, "127.0.0.1:0", "127.0.0.1:0", backendPort, extra);
    }

    public static Path config(Path dir, String listen, String admin, int backendPort, String extra) throws IOException {
        return config(dir, listen, admin, "{ servers: [127.0.0.1:" + backendPort + "] }", extra);
    }

    /** @param app backend {@code app} as YAML, e.g. {@code { servers: [...], check: { interval: 100ms } }} */
    public static Path config(Path dir, String listen, String admin, String app, String extra) throws IOException {
        return Files.writeString(dir.resolve("maintd.yaml"), String.join("\n",
                "flags: { file: flags }",
                "listen: " + listen,
                "admin: " + admin,
                "backends:",
                "  app: " + app,
                extra,
                ""));
    }

    /** Starts {@code maintd --config config} and returns once it logs that it is running. */
    public static MaintdProcess start(Path config, Map<String, String> env) throws IOException, InterruptedException {
        return startWrapped(List.of(), config, env);
    }

    /** The same, with {@code wrapper} in front of java (e.g. systemd-socket-activate, which execs it). */
    public static MaintdProcess startWrapped(List<String> wrapper, Path config, Map<String, String> env)
            throws IOException, InterruptedException {
        MaintdProcess maintd = launch(wrapper, config, env);
        maintd.awaitLog("maintd running as pid");
        return maintd;
    }

    /** Starts it without waiting, for runs expected to fail; see {@link #awaitExit()}. */
    public static MaintdProcess launch(List<String> wrapper, Path config, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MAIN, "--config", config.toString()));
        return launch(command, config, environment -> environment.putAll(env));
    }

    /**
     * Starts {@code bin/maintd --config config}, the launcher operators run (the full reactor's
     * package phase must have built it), without the caller's {@code MAINTD_JAVA_OPTS}, and
     * returns once it logs that it is running.
     */
    public static MaintdProcess startLauncher(Path config) throws IOException, InterruptedException {
        MaintdProcess maintd = launch(List.of(Launchers.maintd().toString(), "--config", config.toString()), config,
                environment -> environment.remove("MAINTD_JAVA_OPTS"));
        maintd.awaitLog("maintd running as pid");
        return maintd;
    }

    private static MaintdProcess launch(List<String> command, Path config, Consumer<Map<String, String>> environment)
            throws IOException {
        Path log = Files.createTempFile(config.getParent(), "maintd-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        environment.accept(builder.environment());
        return new MaintdProcess(builder.start(), config, log);
    }

    public long pid() {
        return process.pid();
    }

    /** The flag file of a config {@link #config} wrote: {@code flags} beside it. */
    public Path flags() {
        return config.resolveSibling("flags");
    }

    /** kill -s NAME pid, e.g. {@code signal("TERM")}. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid())).inheritIO().start();
        if (!kill.waitFor(WAIT_SECONDS, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -s " + name + " " + pid() + " failed");
        }
    }

    /** Waits for the process to end and returns its exit code. */
    public int awaitExit() throws InterruptedException, IOException {
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("maintd did not exit within " + WAIT_SECONDS + " s; log:\n" + log());
        }
        return process.exitValue();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** kill -9: no drain, no cleanup, the lock released only by the kernel. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Waits until the log contains {@code fragment} (after any earlier match); fails if the process dies first. */
    public String awaitLog(String fragment) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            String text = log();
            if (text.contains(fragment)) {
                return text;
            }
            if (!process.isAlive() && !log().contains(fragment)) {
                throw new AssertionError("maintd exited with " + process.exitValue() + " before logging '"
                        + fragment + "'; log:\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("maintd did not log '" + fragment + "' within " + WAIT_SECONDS + " s; log:\n" + text);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until a log line contains {@code fragment}, as {@link #awaitLog}, and returns that line. */
    public String awaitLogLine(String fragment) throws IOException, InterruptedException {
        awaitLog(fragment);
        return logLines().stream().filter(line -> line.contains(fragment)).findFirst().orElseThrow();
    }

    /** The log so far, line by line. */
    public List<String> logLines() throws IOException {
        return List.of(log().split("\n"));
    }

    /** Waits until the log has {@code count} occurrences of {@code fragment}. */
    public void awaitLogCount(String fragment, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (occurrences(log(), fragment) < count) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " x '" + fragment + "' in the log:\n" + log());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Rewrites {@code config} (as {@link #config} wrote it) with the ports this process got, so
     * a restart comes back where clients and load balancers look: {@code extra} may name
     * {@code AGENT} where the agent address goes.
     */
    public Path pinPorts(Path config, int backendPort, String extra) throws IOException {
        String agent = extra.contains("AGENT") ? "127.0.0.1:" + port("agent") : "";
        return config(config.getParent(), "127.0.0.1:" + port("http"), "127.0.0.1:" + port("admin"), backendPort,
                extra.replace("AGENT", agent));
    }

    /** One GET through the proxy on a fresh connection; returns the response's status line. */
    public String proxyStatusLine(String path) throws IOException {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(address("http"), 10_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            return response.substring(0, Math.max(0, response.indexOf("\r\n")));
        }
    }

    /** The port a listener ({@code http}, {@code admin}, {@code agent}) got, from its log line. */
    public int port(String listener) throws IOException {
        Matcher m = LISTENER.matcher(log());
        while (m.find()) {
            if (m.group(1).equals(listener)) {
                return Integer.parseInt(m.group(3));
            }
        }
        throw new AssertionError("no listener " + listener + " in the log:\n" + log());
    }

    public InetSocketAddress address(String listener) throws IOException {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port(listener));
    }

    /** {@code http://127.0.0.1:PORT/path} on the proxy. */
    public URI proxy(String path) throws IOException {
        return URI.create("http://127.0.0.1:" + port("http") + path);
    }

    /** {@code http://127.0.0.1:PORT/path} on the admin port. */
    public URI admin(String path) throws IOException {
        return URI.create("http://127.0.0.1:" + port("admin") + path);
    }

    /** A GET with {@code headers} (name, value, ...), answered within 30 s. */
    public HttpResponse<String> get(URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET whose response arrives later; the client's own threads wait, not a shared pool. */
    public CompletableFuture<HttpResponse<String>> getLater(URI uri) {
        return http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GET on the admin port; fails unless 200. */
    public String adminBody(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(admin(path));
        if (response.statusCode() != 200) {
            throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** A condition a test waits for; it may throw (an I/O error counts as not yet). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits (bounded) until {@code condition} holds; {@code what} names it in the failure. */
    public static void await(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT_SECONDS + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The one line the agent-check port answers. */
    public String agentLine() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port("agent"))) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** Waits until the agent-check port answers {@code line}. */
    public void awaitAgent(String line) throws Exception {
        await(() -> agentLine().equals(line), "the agent to answer " + line.strip());
    }

    /** The checkout this module lives in: tests run with the daemon module as working directory. */
    public static Path repositoryRoot() {
        return Path.of("").toAbsolutePath().getParent();
    }

    /** A loopback port free at this moment, for the few places that must name one up front. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static int occurrences(String text, String fragment) {
        int n = 0;
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + 1)) {
            n++;
        }
        return n;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
