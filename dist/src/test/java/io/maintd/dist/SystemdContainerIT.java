package io.maintd.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.testsupport.HeldBackend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The .deb on a fresh Debian 12 booted with systemd as PID 1 (systemd-nspawn), step by step as an
 * operator takes it: install, flip maintenance, reload a broken config, restart and stop under
 * load, a hung daemon, the security score, remove and purge. The steps share one container and
 * run in order. The container shares this host's network, so the default ports 8080 and 9090
 * are reached on 127.0.0.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class SystemdContainerIT {
    private static final String CONFIG = "/etc/maintd/maintd.yaml";
    private static final Pattern SCORE = Pattern.compile("Overall exposure level for maintd\\.service: (\\d+\\.\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private BootedContainer container;

    @BeforeAll
    void bootAndCopyThePackageIn() throws Exception {
        container = BootedContainer.boot();
        Files.copy(Artifacts.deb(), container.path("/root/maintd.deb"));
    }

    @AfterAll
    void powerOff() throws Exception {
        if (container != null) {
            container.close();
        }
    }

    @Test
    @Order(1)
    void installCreatesUserAndStateDirectoryAndStartsSocketAndServiceWithNoEdits() throws Exception {
        container.exec(List.of("dpkg", "-i", "/root/maintd.deb"), 180).ok();

        assertEquals("maintd maintd 2770\n", container.sh("stat -c '%U %G %a' /var/lib/maintd").ok().out());
        assertEquals("maintd maintd 660\n", container.sh("stat -c '%U %G %a' /var/lib/maintd/flags").ok().out());
        assertEquals("active\nactive\n", container.exec(List.of("systemctl", "is-active", "maintd.socket",
                "maintd.service"), 30).out());
        assertEquals("enabled\nenabled\n", container.exec(List.of("systemctl", "is-enabled", "maintd.socket",
                "maintd.service"), 30).out());
        assertEquals(0, container.exec(List.of("maintd", "--check-config", "--config", CONFIG), 60).ok().code());
        // The shipped backends (127.0.0.1:9001, 9002) are not there: the health checks say so on
        // /healthz (the host answers, but a balancer must not send it traffic), and the proxy
        // answers with its error page.
        HttpResponse<String> health = get("http://127.0.0.1:9090/healthz");
        assertEquals(503, health.statusCode());
        assertTrue(health.body().startsWith("down: backend app has no server up"), health.body());
        assertEquals(503, get("http://127.0.0.1:8080/").statusCode());
        assertEquals(mainPid() + "\n", container.exec(List.of("pgrep", "-x", "maintd"), 30).ok().out());
    }

    @Test
    @Order(2)
    void maintenanceSetByAMemberOfTheGroupServesTheInstalledPage() throws Exception {
        container.exec(List.of("useradd", "--create-home", "--groups", "maintd", "alice"), 30).ok();
        container.exec(List.of("runuser", "-u", "alice", "--", "flagctl", "set", "maint", "1"), 60).ok();

        HttpResponse<String> page = get("http://127.0.0.1:8080/");
        assertEquals(503, page.statusCode());
        assertEquals(Files.readString(container.path("/etc/maintd/maintenance.html")), page.body());
        assertEquals(Files.readString(Artifacts.ROOT.resolve("conf/maintenance.html")), page.body());
    }

    @Test
    @Order(3)
    void reloadWithABrokenConfigFailsAndTheServiceKeepsServing() throws Exception {
        String good = Files.readString(container.path(CONFIG));
        Files.writeString(container.path(CONFIG), good.replace("if: \"maint > 0\"", "if: \"mant > 0\""));

        Commands.Result reload = container.exec(List.of("systemctl", "reload", "maintd"), 120);
        assertNotEquals(0, reload.code(), reload.out());
        assertEquals("active\n", container.exec(List.of("systemctl", "is-active", "maintd.service"), 30).out());
        assertEquals(503, get("http://127.0.0.1:8080/").statusCode(), "still the maintenance page");

        Files.writeString(container.path(CONFIG), good);
        container.exec(List.of("systemctl", "reload", "maintd"), 120).ok();
        assertEquals("2\n", container.exec(List.of("flagctl", "get", "config.generation"), 60).ok().out());
    }

    @Test
    @Order(4)
    void restartUnderLoadRefusesNoConnection() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        CompletableFuture<Commands.Result> restart = CompletableFuture.supplyAsync(() -> {
            try {
                return container.exec(List.of("systemctl", "restart", "maintd"), 120);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        List<Thread> clients = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread client = new Thread(() -> {
                // A new connection per request: each one is a chance for a refused connect.
                while (!restart.isDone() && System.nanoTime() < end) {
                    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", 8080)) {
                        socket.setSoTimeout(60_000);
                        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        String response = new String(socket.getInputStream().readAllBytes(),
                                java.nio.charset.StandardCharsets.ISO_8859_1);
                        if (response.startsWith("HTTP/1.1 503 ")) {
                            answered.incrementAndGet();
                        } else {
                            failures.add("unexpected answer: " + response.lines().findFirst().orElse("(nothing)"));
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                    }
                }
            });
            client.start();
            clients.add(client);
        }
        restart.get(150, TimeUnit.SECONDS).ok();
        for (Thread client : clients) {
            client.join(TimeUnit.SECONDS.toMillis(90));
        }
        assertEquals(List.of(), failures, () -> failures.size() + " of " + (answered.get() + failures.size()) + " failed");
        assertTrue(answered.get() > 0, "the load ran");
    }

    @Test
    @Order(5)
    void stopLetsAnInFlightSlowRequestFinishWith200() throws Exception {
        container.exec(List.of("flagctl", "set", "maint", "0"), 60).ok();
        try (HeldBackend backend = new HeldBackend("slow")) {
            String good = Files.readString(container.path(CONFIG));
            Files.writeString(container.path(CONFIG), good.replace("servers: [127.0.0.1:9001, 127.0.0.1:9002]",
                    "servers: [127.0.0.1:" + backend.port() + "]"));
            container.exec(List.of("systemctl", "reload", "maintd"), 120).ok();

            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:8080/hold")).timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofString());
            backend.awaitHeld(1);
            int drainsBefore = journalCount("drain: stopped accepting");
            int finishedBefore = journalCount("drain: all requests finished");
            CompletableFuture<Commands.Result> stop = CompletableFuture.supplyAsync(() -> {
                try {
                    return container.exec(List.of("systemctl", "stop", "maintd.service"), 120);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitJournalCount("drain: stopped accepting", drainsBefore + 1);
            assertFalse(stop.isDone(), "stop waits for the request in flight");
            backend.release();
            assertEquals(200, slow.get(60, TimeUnit.SECONDS).statusCode());
            stop.get(120, TimeUnit.SECONDS).ok();
            assertEquals(finishedBefore + 1, journalCount("drain: all requests finished"));
            Files.writeString(container.path(CONFIG), good);
        }
        container.exec(List.of("systemctl", "start", "maintd.service"), 120).ok();
    }

    @Test
    @Order(6)
    void watchdogRestartsADaemonWhoseEventLoopsStopped() throws Exception {
        long before = mainPid();
        container.exec(List.of("kill", "-STOP", Long.toString(before)), 30).ok();
        // WatchdogSec=10s, then SIGABRT and TimeoutAbortSec=10s to SIGKILL, RestartSec=1s, a JVM start.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10 + 10 + 1 + 30);
        long after = before;
        while (System.nanoTime() < deadline && (after == before || after == 0 || !active())) {
            Thread.sleep(500);
            after = mainPid();
        }
        assertNotEquals(before, after, "the watchdog did not replace pid " + before);
        assertTrue(active());
        assertTrue(container.exec(List.of("journalctl", "-u", "maintd", "--no-pager"), 60).out()
                .contains("Watchdog timeout"));
    }

    @Test
    @Order(7)
    void securityScoreIsTheOneTheDocsClaim() throws Exception {
        Commands.Result analyze = container.exec(List.of("systemd-analyze", "security", "maintd.service"), 120);
        Matcher measured = SCORE.matcher(analyze.out());
        assertTrue(measured.find(), analyze.out());
        Matcher documented = Pattern.compile("`systemd-analyze security maintd.service` gives \\*\\*(\\d+\\.\\d+)\\*\\*")
                .matcher(Files.readString(Artifacts.ROOT.resolve("docs/operations.md")));
        assertTrue(documented.find(), "docs/operations.md states no score");
        assertEquals(documented.group(1), measured.group(1));
        assertTrue(Double.parseDouble(measured.group(1)) <= 2.0, measured.group());
    }

    @Test
    @Order(8)
    void removeStopsAndDisablesAndOnlyPurgeRemovesTheState() throws Exception {
        container.exec(List.of("dpkg", "-r", "maintd"), 180).ok();
        assertEquals("inactive\ninactive\n", container.exec(List.of("systemctl", "is-active", "maintd.socket",
                "maintd.service"), 30).out());
        assertFalse(Files.exists(container.path("/etc/systemd/system/sockets.target.wants/maintd.socket")));
        assertFalse(Files.exists(container.path("/etc/systemd/system/multi-user.target.wants/maintd.service")));
        assertTrue(Files.exists(container.path("/var/lib/maintd/flags")), "remove keeps the flags");
        assertTrue(Files.exists(container.path(CONFIG)), "remove keeps the conffiles");

        container.exec(List.of("dpkg", "-P", "maintd"), 180).ok();
        assertFalse(Files.exists(container.path("/var/lib/maintd")), "purge removes the state directory");
        assertFalse(Files.exists(container.path(CONFIG)), "purge removes the conffiles");
    }

    private HttpResponse<String> get(String uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long mainPid() throws IOException, InterruptedException {
        String out = container.exec(List.of("systemctl", "show", "-p", "MainPID", "--value", "maintd.service"), 30)
                .ok().out().strip();
        return Long.parseLong(out);
    }

    private boolean active() throws IOException, InterruptedException {
        return container.exec(List.of("systemctl", "is-active", "maintd.service"), 30).out().strip().equals("active");
    }

    private int journalCount(String fragment) throws IOException, InterruptedException {
        String journal = container.exec(List.of("journalctl", "-u", "maintd", "--no-pager"), 60).out();
        return (journal.length() - journal.replace(fragment, "").length()) / fragment.length();
    }

    private void awaitJournalCount(String fragment, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (journalCount(fragment) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("\"" + fragment + "\" not " + count + " times in the journal within 60 s");
            }
            Thread.sleep(200);
        }
    }
}
