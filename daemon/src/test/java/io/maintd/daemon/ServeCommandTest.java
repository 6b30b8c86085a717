package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagWriter;
import io.maintd.testsupport.TempFlagFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ServeCommandTest {
    @TempDir
    Path dir;

    private record Run(ExitCode code, String out, String err) {
    }

    private Run maintd(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExitCode code = MaintdMain.run(List.of(args), new PrintStream(out, true), new PrintStream(err, true));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path config(int listen, int admin, int backend, String condition) throws Exception {
        return Files.writeString(dir.resolve("maintd.yaml"), String.join("\n",
                "flags: { file: flags }",
                "listen: 127.0.0.1:" + listen,
                "admin: 127.0.0.1:" + admin,
                "backends:",
                "  app: { servers: [127.0.0.1:" + backend + "] }",
                "rules:",
                "  - if: \"" + condition + "\"",
                "    then: maintenance",
                "  - then: { backend: app }",
                ""));
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }

    @Test
    void checkConfigAcceptsAValidFileAndLeavesTheFlagFileAlone() throws Exception {
        Path flags;
        try (TempFlagFile file = TempFlagFile.create(dir).define("maint", 1)) {
            flags = file.path();
        }
        byte[] before = sha256(flags);

        Run run = maintd("--check-config", "--config", config(18001, 18002, 18003, "maint > 0 or drain > 0").toString());

        assertEquals(ExitCode.OK, run.code(), run.err());
        assertTrue(run.out().contains("is valid"), run.out());
        assertTrue(Arrays.equals(before, sha256(flags)), "the flag file is not written, not even the missing standard flags");
    }

    @Test
    void checkConfigDoesNotCreateAMissingFlagFile() throws Exception {
        Run run = maintd("--check-config", "--config", config(18001, 18002, 18003, "shed > 0").toString());

        assertEquals(ExitCode.OK, run.code(), run.err());
        assertFalse(Files.exists(dir.resolve("flags")));
    }

    @Test
    void checkConfigNamesTheRuleKeyAndColumnOfAnUnknownFlag() throws Exception {
        Run run = maintd("--check-config", "--config", config(18001, 18002, 18003, "mant > 0").toString());

        assertEquals(ExitCode.FAILED, run.code());
        assertTrue(run.err().contains("rules[0].if: unknown flag 'mant' at column 1"), run.err());
        assertTrue(run.err().contains("did you mean 'maint'?"), run.err());
    }

    @Test
    void checkConfigRefusesAMissingPageNamingIt() throws Exception {
        Path file = config(18001, 18002, 18003, "maint > 0");
        Files.writeString(file, Files.readString(file) + "maintenance: { page: nowhere.html }\n");

        Run run = maintd("--check-config", "--config", file.toString());

        assertEquals(ExitCode.FAILED, run.code());
        assertTrue(run.err().contains(dir.resolve("nowhere.html").toString()), run.err());
    }

    /** Issue 10: a FIFO page made --check-config (and start, and reload) wait for a writer forever. */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void checkConfigAndStartRefuseAPageThatIsNotARegularFile() throws Exception {
        Path fifo = dir.resolve("page.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        Path file = config(freePort(), freePort(), 18003, "maint > 0");
        Files.writeString(file, Files.readString(file) + "maintenance: { page: page.fifo }\n");

        for (Run run : List.of(maintd("--check-config", "--config", file.toString()), maintd("--config", file.toString()))) {
            assertEquals(ExitCode.FAILED, run.code());
            assertTrue(run.err().contains("maintenance.page " + fifo + ": is not a regular file"), run.err());
        }
    }

    /** Issue 10: a cap the descriptor limit cannot hold would let a flood starve the admin and agent ports. */
    @Test
    void startRefusesMoreConnectionsThanTheDescriptorLimitHolds() throws Exception {
        Path file = config(freePort(), freePort(), 18003, "maint > 0");
        Files.writeString(file, Files.readString(file) + "limits: { max-connections: 2000000000 }\n");

        Run run = maintd("--config", file.toString());

        assertEquals(ExitCode.FAILED, run.code());
        assertTrue(run.err().contains(file + ": limits.max-connections: 2000000000 connections need up to 4000000512 file"
                + " descriptors"), run.err());
        assertTrue(run.err().contains("but RLIMIT_NOFILE is "), run.err());
    }

    @Test
    void configWithoutValueIsAUsageError() {
        assertEquals(ExitCode.USAGE, maintd("--config").code());
        assertEquals(ExitCode.USAGE, maintd("--check-config").code());
    }

    @Test
    void configFileServesItsRulesInARealProcess() throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            byte[] body = "from the configured backend\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        backend.start();
        int listen = freePort();
        Path file = config(listen, freePort(), backend.getAddress().getPort(), "maint > 0");
        Process maintd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MaintdMain.class.getName(), "--config", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("maintd.log").toFile()).start();
        try {
            awaitListening(listen, maintd);
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + listen + "/");
            HttpResponse<String> served = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, served.statusCode());
            assertEquals("from the configured backend\n", served.body());

            try (FlagFile flags = FlagFile.openReadWrite(dir.resolve("flags"))) {
                FlagWriter writer = flags.writer();
                writer.set(writer.reader().handle("maint"), 1);
            }
            assertEquals(503, client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        } finally {
            maintd.destroy();
            maintd.waitFor(30, TimeUnit.SECONDS);
            backend.stop(0);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Connects until the daemon listens; fails with its log if it exits first. Bounded by the test timeout. */
    private void awaitListening(int port, Process maintd) throws Exception {
        while (true) {
            assertTrue(maintd.isAlive(), () -> "maintd exited: " + readLog());
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
    }

    private String readLog() {
        try {
            return Files.readString(dir.resolve("maintd.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
