package io.maintd.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagFile;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** log.access on a real maintd: one line per request with the facts, and a slow disk never slows requests. */
@Timeout(180)
class AccessLogTest {
    private static final String RULES = String.join("\n",
            "rules:",
            "  - if: \"maint > 0\"",
            "    then: maintenance",
            "  - then: { backend: app }");

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private HeldBackend backend;
    private MaintdProcess maintd;

    @AfterEach
    void stop() throws Exception {
        if (maintd != null) {
            maintd.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private MaintdProcess start(String log) throws Exception {
        backend = new HeldBackend("one");
        maintd = MaintdProcess.start(MaintdProcess.config(dir, backend.port(), RULES + "\n" + log), Map.of());
        return maintd;
    }

    private void setMaint(long value) {
        try (FlagFile flags = FlagFile.openReadWrite(dir.resolve("flags"))) {
            flags.writer().set(flags.reader().handle("maint"), value);
        }
    }

    @Test
    void oneTextLinePerRequestWithRouteRuleBytesAndUpstreamTime() throws Exception {
        start("log: { access: access.log }");
        String proxy = "http://127.0.0.1:" + maintd.port("http");
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(proxy + "/a?b=c")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        setMaint(1);
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(proxy + "/p")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, page.statusCode());
        // A target with a quote must not break the line apart; a request the codec refuses is logged too.
        String quoted = raw("GET /x\"y HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        assertTrue(quoted.startsWith("HTTP/1.1 503 "), quoted);
        assertTrue(raw("GET / HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n").startsWith("HTTP/1.1 400 "));

        List<String> lines = awaitLines(dir.resolve("access.log"), 4);
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z 127\\.0\\.0\\.1 \"GET /a\\?b=c\" 200 12 "
                + "upstream=\\d+\\.\\d{6} route=backend rule=rules\\[1]"), lines.get(0));
        int pageBytes = page.body().getBytes(StandardCharsets.UTF_8).length;
        assertTrue(lines.get(1).endsWith(" 127.0.0.1 \"GET /p\" 503 " + pageBytes + " upstream=- route=maintenance rule=rules[0]"),
                lines.get(1));
        assertTrue(lines.get(2).endsWith(" \"GET /x\\x22y\" 503 " + pageBytes + " upstream=- route=maintenance rule=rules[0]"),
                lines.get(2));
        assertTrue(lines.get(3).matches(".* \"GET /\" 400 \\d+ upstream=- route=error rule=-"), lines.get(3));
    }

    @Test
    void jsonLinesWhenTheLogFormatIsJson() throws Exception {
        start("log: { format: json, access: access.log }");
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + maintd.port("http") + "/j")).build(),
                HttpResponse.BodyHandlers.discarding());
        String line = awaitLines(dir.resolve("access.log"), 1).get(0);
        assertTrue(line.matches("\\{\"time\":\"[^\"]+Z\",\"client\":\"127\\.0\\.0\\.1\",\"method\":\"GET\",\"target\":\"/j\","
                + "\"status\":200,\"bytes\":12,\"route\":\"backend\",\"rule\":\"rules\\[1]\",\"upstream_us\":\\d+}"), line);
    }

    @Test
    void aStalledLogDropsLinesButNeverHoldsARequest() throws Exception {
        // A FIFO that is opened but never read: the writer thread blocks on it as on a hung disk.
        Path fifo = dir.resolve("stalled.log");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Thread opener = new Thread(() -> {
            try (InputStream never = new FileInputStream(fifo.toFile())) {
                Thread.sleep(Long.MAX_VALUE);
            } catch (Exception e) {
                // closed at the end of the test
            }
        });
        opener.setDaemon(true);
        opener.start();
        start("log: { access: stalled.log }");
        setMaint(1);
        int requests = AccessLog.CAPACITY * 2;
        long answered = pipelined(maintd.port("http"), requests);
        assertEquals(requests, answered);

        Matcher dropped = Pattern.compile("\nmaintd_access_log_dropped_total (\\d+)\\.0\n").matcher(http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + maintd.port("admin") + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertTrue(dropped.find(), "no drop counter on /metrics");
        assertTrue(Long.parseLong(dropped.group(1)) >= AccessLog.CAPACITY / 2, dropped.group());
        opener.interrupt();
    }

    @Test
    void anAccessLogThatCannotBeOpenedFailsTheStartNamingIt() throws Exception {
        backend = new HeldBackend("one");
        Path config = MaintdProcess.config(dir, backend.port(), RULES + "\nlog: { access: no-such-dir/access.log }");
        MaintdProcess failed = MaintdProcess.launch(List.of(), config, Map.of());
        assertEquals(1, failed.awaitExit());
        assertTrue(failed.log().contains("log.access: cannot open " + dir.resolve("no-such-dir/access.log")), failed.log());
    }

    /** One request on its own connection; the whole response. */
    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", maintd.port("http"))) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** {@code count} GETs pipelined on one connection, in batches; returns how many responses came back. */
    private static long pipelined(int port, int count) throws Exception {
        byte[] get = "GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] marker = "HTTP/1.1 503".getBytes(StandardCharsets.US_ASCII);
            long seen = 0;
            int matched = 0;
            byte[] buffer = new byte[64 * 1024];
            for (int sent = 0; sent < count; ) {
                int batch = Math.min(100, count - sent);
                for (int i = 0; i < batch; i++) {
                    out.write(get);
                }
                out.flush();
                sent += batch;
                while (seen < sent) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        return seen;
                    }
                    for (int i = 0; i < n; i++) {
                        matched = buffer[i] == marker[matched] ? matched + 1 : (buffer[i] == marker[0] ? 1 : 0);
                        if (matched == marker.length) {
                            seen++;
                            matched = 0;
                        }
                    }
                }
            }
            return seen;
        }
    }

    private static List<String> awaitLines(Path file, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            if (lines.size() >= count || System.nanoTime() > deadline) {
                assertEquals(count, lines.size(), String.join("\n", lines));
                return lines;
            }
            Thread.sleep(20);
        }
    }
}
