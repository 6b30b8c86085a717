package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagFileLayout;
import io.maintd.lifecycle.NotifyReceiver;
import io.maintd.net.Transport;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /**
     * The watchdog covers the flag monitor, not only the event loops: a stopped process holding
     * the define lock (here this test) while the daemon needs it to define a deleted counter
     * again leaves the monitor stuck, and the pings stop until the lock is released.
     */
    @Test
    void aStuckFlagMonitorStopsTheWatchdogPingsUntilItMovesAgain() throws Exception {
        Path socket = dir.resolve("notify.sock");
        Path flags = dir.resolve("flags");
        try (NotifyReceiver notify = new NotifyReceiver(group, socket.toString());
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(dir, backend.port(), ""),
                     Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "400000"))) {
            awaitMessage(notify, "WATCHDOG=1");
            int requests;
            try (FlagFile file = FlagFile.openReadOnly(flags)) {
                requests = file.reader().handle("requests").slot();
            }
            try (FileChannel channel = FileChannel.open(flags, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock defineLock = channel.lock(FlagFileLayout.DEFINE_LOCK_OFFSET, 1, false)) {
                deleteRaw(channel, requests);

                maintd.awaitLog("watchdog: the flag monitor completed no tick for");
                maintd.awaitLog("watchdog: health check failed, not pinging systemd");
            }

            maintd.awaitLog("watchdog: healthy again, pinging systemd");
            maintd.awaitLog("counter requests deleted and created again");
            awaitMessage(notify, "WATCHDOG=1");
        }
    }

    /** What a delete does under the define lock (docs/flagfile.md): registration + 1 first, then free, clear, count. */
    private static void deleteRaw(FileChannel channel, int slot) throws Exception {
        MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
        map.order(ByteOrder.LITTLE_ENDIAN);
        int offset = FlagFileLayout.slotOffset(slot);
        map.putInt(offset + FlagFileLayout.REGISTRATION_OFFSET, map.getInt(offset + FlagFileLayout.REGISTRATION_OFFSET) + 1);
        map.putInt(offset + FlagFileLayout.STATE_OFFSET, FlagFileLayout.STATE_FREE);
        map.putInt(offset + FlagFileLayout.NAME_LENGTH_OFFSET, 0);
        map.put(offset + FlagFileLayout.NAME_OFFSET, new byte[FlagFileLayout.MAX_NAME_LENGTH + 1]);
        map.putLong(FlagFileLayout.CHANGE_SEQUENCE_OFFSET, map.getLong(FlagFileLayout.CHANGE_SEQUENCE_OFFSET) + 1);
        map.force();
    }

    /** Reads notifications (bounded) until {@code message} arrives. */
    private static void awaitMessage(NotifyReceiver notify, String message) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String next = notify.next();
            if (next.equals(message)) {
                return;
            }
            seen.add(next);
        }
        throw new AssertionError("no " + message + " among " + seen);
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
