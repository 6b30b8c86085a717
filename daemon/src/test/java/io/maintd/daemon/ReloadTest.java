package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagWriter;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.MaintdProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP on a real maintd process, observed through a keep-alive connection opened before it. */
@Timeout(120)
class ReloadTest {
    @TempDir
    Path dir;

    private HeldBackend backend;
    private MaintdProcess maintd;
    private Path config;

    @BeforeEach
    void start() throws Exception {
        backend = new HeldBackend("one");
        Files.writeString(dir.resolve("page-one.html"), "page one\n");
        Files.writeString(dir.resolve("page-two.html"), "page two\n");
        config = writeConfig("page-one.html", "maint > 0");
        maintd = MaintdProcess.start(config, Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        maintd.close();
        backend.close();
    }

    /** Requests with {@code X-Page: yes} get the maintenance page when {@code condition} holds; others the backend. */
    private Path writeConfig(String page, String condition) throws Exception {
        return MaintdProcess.config(dir, backend.port(), String.join("\n",
                "maintenance: { page: " + page + " }",
                "rules:",
                "  - if: \"" + condition + "\"",
                "    match: { header: X-Page, equals: \"yes\" }",
                "    then: maintenance",
                "  - then: { backend: app }"));
    }

    /** One request on an open keep-alive connection; returns the status line and the body. */
    private static String get(Socket socket, String extraHeader) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: test\r\n" + extraHeader + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        String status = in.readLine();
        int length = -1;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        char[] body = new char[length];
        for (int read = 0; read < length; ) {
            read += in.read(body, read, length - read);
        }
        return status + " " + new String(body);
    }

    @Test
    void validReloadServesNewRulesAndPageOnTheSameOpenConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", maintd.port("http"))) {
            socket.setSoTimeout(30_000);
            assertEquals("HTTP/1.1 200 OK backend one\n", get(socket, "X-Page: yes\r\n"));

            writeConfig("page-two.html", "weight > 0");
            maintd.signal("HUP");
            maintd.awaitLog("config generation 2");

            assertEquals("HTTP/1.1 503 Service Unavailable page two\n", get(socket, "X-Page: yes\r\n"),
                    "the connection opened before the reload is served by the new rules and page");
            assertEquals("HTTP/1.1 200 OK backend one\n", get(socket, ""));
        }
        maintd.signal("TERM");
        assertEquals(0, maintd.awaitExit());
        assertTrue(maintd.log().contains("maintd stopped after 3 requests"),
                "requests before and after the reload are counted together:\n" + maintd.log());
    }

    @Test
    void brokenReloadKeepsTheOldConfigServingAndLogsWhy() throws Exception {
        writeConfig("page-two.html", "mant > 0");
        maintd.signal("HUP");
        String log = maintd.awaitLog("reload: rejected");

        assertTrue(log.contains("config generation 1 keeps serving"), log);
        assertTrue(log.contains("unknown flag 'mant'"), log);
        try (Socket socket = new Socket("127.0.0.1", maintd.port("http"))) {
            socket.setSoTimeout(30_000);
            assertEquals("HTTP/1.1 200 OK backend one\n", get(socket, "X-Page: yes\r\n"));
        }
    }

    /** Issue 10: reading a FIFO page blocked the reload for good; /dev/zero ran the JVM out of memory. */
    @Test
    void aPageThatIsNotARegularFileIsRefusedOnReloadAndTheOldPageKeepsServing() throws Exception {
        Path fifo = dir.resolve("page.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        for (String page : List.of(fifo.toString(), "/dev/zero")) {
            writeConfig(page, "weight > 0");
            maintd.signal("HUP");
            maintd.awaitLog("reload: rejected, config generation 1 keeps serving: maintenance.page " + page
                    + ": is not a regular file");
        }
        try (FlagFile flags = FlagFile.openReadWrite(dir.resolve("flags"))) {
            FlagWriter writer = flags.writer();
            writer.set(writer.reader().handle("maint"), 1);
        }
        try (Socket socket = new Socket("127.0.0.1", maintd.port("http"))) {
            socket.setSoTimeout(30_000);
            assertEquals("HTTP/1.1 503 Service Unavailable page one\n", get(socket, "X-Page: yes\r\n"));
        }
    }

    @Test
    void aReloadAskingForMoreConnectionsThanTheDescriptorLimitHoldsIsRejected() throws Exception {
        Path file = writeConfig("page-two.html", "weight > 0");
        Files.writeString(file, Files.readString(file) + "\nlimits: { max-connections: 2000000000 }\n");
        maintd.signal("HUP");
        String log = maintd.awaitLog("reload: rejected");
        assertTrue(log.contains("config generation 1 keeps serving: " + file + ": limits.max-connections: 2000000000"
                + " connections need up to 4000000512 file descriptors"), log);
        try (Socket socket = new Socket("127.0.0.1", maintd.port("http"))) {
            socket.setSoTimeout(30_000);
            assertEquals("HTTP/1.1 200 OK backend one\n", get(socket, "X-Page: yes\r\n"), "the old rules serve");
        }
    }

    @Test
    void changedListenAddressNeedsARestartAndIsKept() throws Exception {
        int port = maintd.port("http");
        MaintdProcess.config(dir, "127.0.0.1:1", "127.0.0.1:0", backend.port(), "");
        maintd.signal("HUP");
        String log = maintd.awaitLog("config generation 2");

        assertTrue(log.contains("reload: listen changed from"), log);
        assertTrue(log.contains("needs a restart; keeping the running value"), log);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            assertEquals("HTTP/1.1 200 OK backend one\n", get(socket, ""));
        }
    }

    /** {@code maintd reload --config FILE} as its own process, with {@code env} added to the test's environment. */
    private static Result reloadCommand(Path config, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MaintdMain.class.getName(),
                "reload", "--config", config.toString(), "--timeout", "30s").redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "maintd reload did not end: " + out);
        return new Result(process.exitValue(), out);
    }

    private record Result(int code, String out) {
    }

    @Test
    void reloadCommandExits0OnceTheDaemonServesTheNewFile() throws Exception {
        writeConfig("page-two.html", "weight > 0");
        Result reload = reloadCommand(config, Map.of());

        assertEquals(0, reload.code(), reload.out());
        assertTrue(reload.out().contains("pid " + maintd.pid() + " serves config generation 2"), reload.out());
        assertEquals("2\n", FlagctlRun.run(dir.resolve("flags"), "get", "config.generation").ok().out());
        try (Socket socket = new Socket("127.0.0.1", maintd.port("http"))) {
            socket.setSoTimeout(30_000);
            assertEquals("HTTP/1.1 503 Service Unavailable page two\n", get(socket, "X-Page: yes\r\n"));
        }
    }

    @Test
    void reloadCommandRefusesABrokenFileWithoutSignallingTheDaemon() throws Exception {
        writeConfig("page-two.html", "mant > 0");
        Result reload = reloadCommand(config, Map.of());

        assertEquals(1, reload.code(), reload.out());
        assertTrue(reload.out().contains("unknown flag 'mant'"), reload.out());
        assertFalse(maintd.log().contains("reload:"), "the daemon was not signalled:\n" + maintd.log());
        try (Socket socket = new Socket("127.0.0.1", maintd.port("http"))) {
            socket.setSoTimeout(30_000);
            assertEquals("HTTP/1.1 200 OK backend one\n", get(socket, "X-Page: yes\r\n"));
        }
    }

    @Test
    void reloadCommandExits1WhenTheDaemonRejectsWhatTheCommandAccepted() throws Exception {
        // Only the command's environment has the variable the new file needs, so the command's own
        // check passes and the daemon's fails: the outcome must come from the daemon.
        MaintdProcess.config(dir, backend.port(), "maintenance: { page: \"${RELOAD_TEST_PAGE}\" }");
        Result reload = reloadCommand(config, Map.of("RELOAD_TEST_PAGE", "page-two.html"));

        assertEquals(1, reload.code(), reload.out());
        assertTrue(reload.out().contains("pid " + maintd.pid() + " rejected " + config + " and keeps serving config "
                + "generation 1"), reload.out());
        maintd.awaitLog("RELOAD_TEST_PAGE is not set");
        assertEquals("1\n", FlagctlRun.run(dir.resolve("flags"), "get", "config.rejections").ok().out());
    }

    @Test
    void reloadCommandExits1WhenNoDaemonRuns() throws Exception {
        maintd.signal("TERM");
        assertEquals(0, maintd.awaitExit());
        Result reload = reloadCommand(config, Map.of());

        assertEquals(1, reload.code(), reload.out());
        assertTrue(reload.out().contains("no maintd is running on " + dir.resolve("flags")), reload.out());
    }
}
