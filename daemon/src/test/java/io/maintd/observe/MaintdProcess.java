package io.maintd.observe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/maintd --config FILE} as a separate process on ephemeral loopback ports, its log
 * (stderr) collected line by line so tests can wait for a line instead of sleeping.
 *
 * <p>Routes: {@code maint > 0} → maintenance unless the bypass header; {@code shed > 0} → shed;
 * {@code /down/} → a backend nothing listens on (503, the error route); else the app backend.
 */
final class MaintdProcess implements AutoCloseable {
    static final String BYPASS_HEADER = "X-Maintd-Bypass";
    static final String BYPASS_TOKEN = "let-me-in";
    private static final Pattern LISTENING = Pattern.compile("(proxy|admin) listening on 127\\.0\\.0\\.1:(\\d+)");

    final Path flags;
    private final Process process;
    private final List<String> log = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private int proxyPort;
    private int adminPort;

    MaintdProcess(Path dir, int appPort, int downPort) throws Exception {
        this(dir, appPort, downPort, "127.0.0.1:0");
    }

    /** @param admin the {@code admin:} value, e.g. {@code "{ listen: 127.0.0.1:0, token: ... }"} */
    MaintdProcess(Path dir, int appPort, int downPort, String admin) throws Exception {
        this(dir, appPort, downPort, admin, "");
    }

    /** @param extra more top-level YAML, e.g. {@code "maintenance: { announce: 1h }"} */
    MaintdProcess(Path dir, int appPort, int downPort, String admin, String extra) throws Exception {
        Files.createDirectories(dir);
        flags = dir.resolve("flags");
        Path config = Files.writeString(dir.resolve("maintd.yaml"), String.join("\n",
                "flags: { file: flags }",
                "listen: 127.0.0.1:0",
                "admin: " + admin,
                "backends:",
                "  app: { servers: [127.0.0.1:" + appPort + "] }",
                "  down: { servers: [127.0.0.1:" + downPort + "] }",
                "rules:",
                "  - if: \"maint > 0\"",
                "    unless: { header: " + BYPASS_HEADER + ", equals: " + BYPASS_TOKEN + " }",
                "    then: maintenance",
                "  - if: \"shed > 0\"",
                "    then: { shed: shed }",
                "  - match: { path: /down/ }",
                "    then: { backend: down }",
                "  - then: { backend: app }",
                extra,
                ""));
        ProcessBuilder pb = new ProcessBuilder(Launchers.maintd().toString(), "--config", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("MAINTD_JAVA_OPTS");
        process = pb.start();
        Thread reader = new Thread(this::collectLog, "maintd-log");
        reader.setDaemon(true);
        reader.start();
        awaitLog("maintd running as pid");
    }

    private void collectLog() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                synchronized (log) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        if (m.group(1).equals("proxy")) {
                            proxyPort = Integer.parseInt(m.group(2));
                        } else {
                            adminPort = Integer.parseInt(m.group(2));
                        }
                    }
                    log.add(line);
                    log.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // The process ended; the lines read are all there are.
        }
        synchronized (log) {
            log.add(null);
            log.notifyAll();
        }
    }

    long pid() {
        return process.pid();
    }

    /** Blocks until a log line contains {@code text} and returns it; fails if the log ends first. */
    String awaitLog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (log) {
            for (int seen = 0; ; ) {
                for (; seen < log.size(); seen++) {
                    String line = log.get(seen);
                    if (line == null) {
                        throw new AssertionError("maintd exited without logging \"" + text + "\"; log:\n" + String.join("\n", logLines()));
                    }
                    if (line.contains(text)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no log line with \"" + text + "\" in 30 s; log:\n" + String.join("\n", logLines()));
                }
                TimeUnit.NANOSECONDS.timedWait(log, left);
            }
        }
    }

    /** The log so far. */
    List<String> logLines() {
        synchronized (log) {
            return log.stream().filter(l -> l != null).toList();
        }
    }

    URI proxy(String path) {
        synchronized (log) {
            return URI.create("http://127.0.0.1:" + proxyPort + path);
        }
    }

    URI admin(String path) {
        synchronized (log) {
            return URI.create("http://127.0.0.1:" + adminPort + path);
        }
    }

    HttpResponse<String> get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET whose response arrives later; the client's own threads wait, not a shared pool. */
    CompletableFuture<HttpResponse<String>> getLater(URI uri) {
        return http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GET on the admin port; fails unless 200. */
    String adminBody(String path) throws Exception {
        HttpResponse<String> response = get(admin(path));
        if (response.statusCode() != 200) {
            throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
