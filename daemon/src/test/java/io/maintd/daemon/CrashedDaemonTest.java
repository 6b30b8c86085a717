package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagWriter;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon killed outright (no drain, no cleanup) leaves its flag file as it was and its lock
 * free for the next one. (A second daemon on a running one's file: MaintdMainTest.)
 */
@Timeout(120)
class CrashedDaemonTest {
    @TempDir
    Path dir;

    private HeldBackend backend;
    private Path config;

    @BeforeEach
    void setUp() throws Exception {
        backend = new HeldBackend("one");
        config = MaintdProcess.config(dir, backend.port(), "");
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @Test
    void killNineUnderLoadLeavesFlagsIntactAndANewDaemonTakesTheLock() throws Exception {
        Path flags = dir.resolve("flags");
        AtomicLong served = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        try (MaintdProcess first = MaintdProcess.start(config, Map.of())) {
            try (FlagFile file = FlagFile.openReadWrite(flags)) {
                FlagWriter writer = file.writer();
                writer.set(writer.reader().handle("weight"), 40);
                writer.define("release", FlagKind.FLAG, 7);
            }
            URI uri = URI.create("http://127.0.0.1:" + first.port("http") + "/");
            Thread load = new Thread(() -> {
                HttpClient client = HttpClient.newHttpClient();
                for (int i = 0; i < 100_000 && !stop.get(); i++) {
                    try {
                        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
                        served.incrementAndGet();
                    } catch (Exception killed) {
                        return;
                    }
                }
            });
            load.start();
            for (int i = 0; i < 3_000 && served.get() < 50 && load.isAlive(); i++) {
                Thread.sleep(10);
            }
            first.kill9();
            stop.set(true);
            load.join(30_000);
        }
        assertTrue(served.get() >= 50, "load ran against the daemon before the kill");

        try (FlagFile file = FlagFile.openReadOnly(flags)) {
            FlagReader reader = file.reader();
            assertEquals(40, reader.handle("weight").get());
            assertEquals(7, reader.handle("release").get());
            assertEquals(0, reader.handle("maint").get());
            assertEquals(0, reader.handle("drain").get());
        }
        try (MaintdProcess next = MaintdProcess.start(config, Map.of())) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + next.port("http") + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(next.log().contains("maintd running as pid " + next.pid()), next.log());
        }
    }
}
