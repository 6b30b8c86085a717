package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.lifecycle.NotifyReceiver;
import io.maintd.net.Transport;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real daemon against systemd's side of the protocols: a notify socket the test owns, and systemd-socket-activate. */
@Timeout(120)
class SystemdIntegrationTest {
    private static final Path SOCKET_ACTIVATE = Path.of("/usr/bin/systemd-socket-activate");

    @TempDir
    Path dir;

    private HeldBackend backend;
    private EventLoopGroup group;

    @BeforeEach
    void start() throws Exception {
        backend = new HeldBackend("one");
        group = Transport.EPOLL.newGroup(1, "notify-test");
    }

    @AfterEach
    void stop() {
        backend.close();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The next message that is not a STATUS= line (those come on a timer, between the others). */
    private static String nextState(NotifyReceiver notify, List<String> statuses) throws InterruptedException {
        while (true) {
            String message = notify.next();
            if (!message.startsWith("STATUS=")) {
                return message;
            }
            statuses.add(message);
        }
    }

    @Test
    void notifiesReadyReloadingReadyStoppingInOrderWithStatusLines() throws Exception {
        Path socket = dir.resolve("notify.sock");
        List<String> statuses = new ArrayList<>();
        try (NotifyReceiver notify = new NotifyReceiver(group, socket.toString());
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(dir, backend.port(), ""),
                     Map.of("NOTIFY_SOCKET", socket.toString()))) {
            assertEquals("READY=1", nextState(notify, statuses));

            maintd.signal("HUP");
            String reloading = nextState(notify, statuses);
            assertTrue(reloading.matches("RELOADING=1\nMONOTONIC_USEC=\\d+"), reloading);
            assertEquals("READY=1", nextState(notify, statuses));

            maintd.signal("TERM");
            assertEquals("STOPPING=1", nextState(notify, statuses));
            assertEquals(0, maintd.awaitExit());
        }
        assertTrue(statuses.stream().anyMatch(s -> s.startsWith("STATUS=ready; 0 in flight, 0 connections, 0 requests; config generation 1")),
                statuses.toString());
    }

    @Test
    void pingsTheWatchdogWhenSystemdAsksForIt() throws Exception {
        Path socket = dir.resolve("notify.sock");
        List<String> received = new ArrayList<>();
        try (NotifyReceiver notify = new NotifyReceiver(group, socket.toString());
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(dir, backend.port(), ""),
                     Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "400000"))) {
            // Bounded: STATUS and READY come first, then a ping every 200 ms.
            for (int i = 0; i < 20 && !received.contains("WATCHDOG=1"); i++) {
                received.add(notify.next());
            }
        }
        assertTrue(received.contains("WATCHDOG=1"), received.toString());
    }

    @Test
    void socketActivationServesTheFirstRequestOnTheInheritedSocket() throws Exception {
        assertTrue(Files.isExecutable(SOCKET_ACTIVATE), SOCKET_ACTIVATE + " is missing: apt-get install -y systemd");
        int port = MaintdProcess.freePort();
        Path config = MaintdProcess.config(dir, "127.0.0.1:1", "127.0.0.1:0", backend.port(), "");
        try (MaintdProcess maintd = MaintdProcess.launch(List.of(SOCKET_ACTIVATE.toString(),
                "-l", "127.0.0.1:" + port, "--fdname=http"), config, Map.of())) {
            maintd.awaitLog("Listening on 127.0.0.1:" + port);
            // The activator execs maintd on the first connection; the kernel queues this request on
            // the socket until maintd adopts it and accepts.
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode());
            assertEquals("backend one\n", response.body());
            assertTrue(maintd.log().contains("listener http: adopted inherited fd 3 (http)"), maintd.log());
        }
    }
}
