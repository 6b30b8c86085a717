package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagWriter;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MaintdMainTest {
    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newHttpClient();

    /** A {@code maintd demo} process started in {@link #dir}, with the addresses it printed. */
    private record Demo(Process process, String proxy, String health) implements AutoCloseable {
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private Process startDemoProcess() throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MaintdMain.class.getName(),
                "demo", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0")
                .directory(dir.toFile())
                .start();
    }

    private Demo startDemo() throws Exception {
        Process process = startDemoProcess();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String proxy = null;
        String health = null;
        for (String line = out.readLine(); line != null && !line.equals("Try:"); line = out.readLine()) {
            if (line.startsWith("  proxy:")) {
                proxy = line.split("\\s+")[2];
            } else if (line.startsWith("  health:")) {
                health = line.split("\\s+")[2];
            }
        }
        assertTrue(proxy != null && health != null, "the demo printed its addresses");
        return new Demo(process, proxy, health);
    }

    private HttpResponse<String> get(String uri) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void demoProxiesToItsBackendUntilMaintIsSetFromOutside() throws Exception {
        try (Demo demo = startDemo()) {
            HttpResponse<String> served = get(demo.proxy());
            assertEquals(200, served.statusCode());
            assertTrue(served.body().startsWith("hello from the demo backend (port "), served.body());
            assertEquals("ready\n", get(demo.health()).body());

            try (FlagFile file = FlagFile.openReadWrite(dir.resolve("var/flags"))) {
                FlagWriter flags = file.writer();
                assertEquals(100, flags.reader().handle("weight").get(), "standard flags are defined");
                flags.set(flags.reader().handle("maint"), 1);
            }
            HttpResponse<String> maintenance = get(demo.proxy());
            assertEquals(503, maintenance.statusCode());
            assertTrue(maintenance.body().contains("Down for maintenance"));
            HttpResponse<String> health = get(demo.health());
            assertEquals(503, health.statusCode());
            assertEquals("maint\n", health.body());
        }
    }

    @Test
    void secondDaemonIsRefusedWithHolderPid() throws Exception {
        try (Demo first = startDemo()) {
            Process second = startDemoProcess();
            String err = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(second.waitFor(30, TimeUnit.SECONDS));
            assertEquals(ExitCode.ALREADY_RUNNING.code, second.exitValue());
            assertTrue(err.contains("already running on this flag file as pid " + first.process().pid()), err);
        }
    }

    @Test
    void helpListsTheCommandsAndEveryExitCode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(ExitCode.OK, MaintdMain.run(List.of("--help"), new PrintStream(out, true), System.err));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.startsWith("usage: maintd [serve] [--config FILE] [--check-config]\n"), help);
        for (String command : new String[] {"serve", "reload", "demo", "completion", "manpage", "help"}) {
            assertTrue(help.contains("\n  " + command + " "), () -> command + " missing:\n" + help);
        }
        assertTrue(help.matches("(?s).*\n  SIGHUP +reload the config file.*"), help);
        for (ExitCode code : ExitCode.values()) {
            assertTrue(help.contains("  " + code.code + "  " + code.meaning), "documents exit " + code.code);
        }
    }

    @Test
    void versionPrintsTheBuildsVersionAndCommit() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(ExitCode.OK, MaintdMain.run(List.of("--version"), new PrintStream(out, true), System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).matches("maintd \\S+ \\(commit ([0-9a-f]{12}|unknown)\\)\n"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownCommandIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(ExitCode.USAGE, MaintdMain.run(List.of("serve-everything"), System.out, new PrintStream(err, true)));
        assertEquals("maintd: unknown command \"serve-everything\" (see maintd --help)\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void malformedListenAddressIsAUsageErrorNamingIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(ExitCode.USAGE, MaintdMain.run(List.of("demo", "--listen", "8080"), System.out,
                new PrintStream(err, true)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--listen 8080: '8080' has no port"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void demoTakesBracketedIpv6Addresses() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(ExitCode.USAGE, MaintdMain.run(List.of("demo", "--listen", "[::1]:0", "--admin", "::1:0"),
                System.out, new PrintStream(err, true)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--admin ::1:0: '::1:0': write IPv6 addresses in brackets"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listenAddressInUseFailsNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String address = "127.0.0.1:" + taken.getLocalPort();
            ExitCode code = MaintdMain.run(List.of("demo", "--listen", address, "--admin", "127.0.0.1:0",
                    "--flags", dir.resolve("flags").toString()), System.out, new PrintStream(err, true));
            assertEquals(ExitCode.FAILED, code);
            assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("maintd: address " + address + " (listen) already in use"),
                    err.toString(StandardCharsets.UTF_8));
        }
    }
}
