package io.maintd.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.daemon.RestartableBackend;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend restart of half a second under load through a real maintd: errors may only fall
 * in the outage and the second the backend comes back in (one probe interval is at most a
 * second), never in the seconds after. Before, one refused connect took the server out for
 * {@code retry-backoff} (10 s) and every refusal pushed that further, so a 0.5 s restart was
 * 10 s of 503s.
 */
@Timeout(120)
class BackendRestartTest {
    private static final int CLIENTS = 4;
    private static final long OUTAGE_MILLIS = 500;
    /** Seconds watched after the backend is back; each must be free of errors except the first. */
    private static final int SECONDS_AFTER = 3;

    @TempDir
    Path dir;

    /** When the backend stopped and when it listened again, in {@link System#nanoTime()}. */
    private record Outage(long down, long back) {
        long second(int s) {
            return back + TimeUnit.SECONDS.toNanos(s);
        }
    }

    @Test
    void errorsStayInTheOutageAndTheSecondTheBackendReturnsIn() throws Exception {
        try (RestartableBackend app = new RestartableBackend("app");
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(dir, app.port(), ""), Map.of());
             TimedLoad load = load(maintd)) {
            Outage outage = restartUnderLoad(load, app, "app");
            String table = "outage " + TimeUnit.NANOSECONDS.toMillis(outage.back - outage.down)
                    + " ms, then by second from the return:\n" + load.bySecond(outage.back, SECONDS_AFTER);
            assertTrue(load.errors(outage.down, outage.back) > 0, "the outage was under load: " + table);
            List<Integer> failingAfter = new ArrayList<>();
            for (int s = 1; s < SECONDS_AFTER; s++) {
                if (load.errors(outage.second(s), outage.second(s + 1)) > 0) {
                    failingAfter.add(s);
                }
                assertTrue(load.served("app", outage.second(s), outage.second(s + 1)) > 0, "second " + s + " was served: " + table);
            }
            assertEquals(List.of(), failingAfter, "seconds with errors after the backend was back:\n" + table);
        }
    }

    /**
     * Two servers, one restarted: requests move to the other (a refused connect is retried
     * there), and the restarted one is used again within a probe interval of its return, not
     * 10 s later. Only a request the backend was answering as it stopped may fail.
     */
    @Test
    void aRestartedServerIsUsedAgainWhileTheOtherCarriesTheLoad() throws Exception {
        try (RestartableBackend restarted = new RestartableBackend("a");
             HeldBackend steady = new HeldBackend("b");
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(dir, "127.0.0.1:0", "127.0.0.1:0",
                     "{ servers: [127.0.0.1:" + restarted.port() + ", 127.0.0.1:" + steady.port() + "] }", ""), Map.of());
             TimedLoad load = load(maintd)) {
            Outage outage = restartUnderLoad(load, restarted, "a");
            String table = "by second from the return:\n" + load.bySecond(outage.back, SECONDS_AFTER);
            assertEquals(0, load.errors(outage.down + TimeUnit.MILLISECONDS.toNanos(100), outage.second(SECONDS_AFTER)),
                    "a refused connect is retried on the other server: " + table);
            for (int s = 1; s < SECONDS_AFTER; s++) {
                assertTrue(load.served("a", outage.second(s), outage.second(s + 1)) > 0,
                        "the restarted server served in second " + s + ": " + table);
            }
        }
    }

    private static TimedLoad load(MaintdProcess maintd) throws Exception {
        return TimedLoad.start(URI.create("http://127.0.0.1:" + maintd.port("http") + "/"), CLIENTS, Duration.ofSeconds(60));
    }

    /**
     * Once {@code name} served a request: stops {@code backend}, starts it again after
     * {@link #OUTAGE_MILLIS}, lets the load run {@link #SECONDS_AFTER} more seconds and stops it.
     */
    private static Outage restartUnderLoad(TimedLoad load, RestartableBackend backend, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (load.served(name) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " served nothing within 30 s");
            }
            Thread.sleep(20);
        }
        long down = System.nanoTime();
        backend.stop();
        Thread.sleep(OUTAGE_MILLIS);
        backend.start();
        Outage outage = new Outage(down, System.nanoTime());
        Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS_AFTER));
        load.stop();
        return outage;
    }
}
