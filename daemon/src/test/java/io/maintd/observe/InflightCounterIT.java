package io.maintd.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code inflight} counter the daemon publishes into the flag file, read by
 * {@code bin/flagctl} processes while requests are held at the backend.
 */
@Timeout(120)
class InflightCounterIT {
    private static final int HELD = 3;

    @TempDir
    Path dir;

    @Test
    void flagctlGetInflightReadsHeldRequestsThenZero() throws Exception {
        try (HeldBackend app = new HeldBackend("app"); MaintdProcess maintd = ObservedMaintd.start(dir, app.port())) {
            List<CompletableFuture<HttpResponse<String>>> responses = holdRequests(maintd, app);
            // The daemon publishes every 100 ms; waiting for the value is the handshake, get is the check.
            FlagctlRun.run(maintd.flags(), "wait", "inflight", "--ge", String.valueOf(HELD), "--timeout", "30s").ok();
            assertEquals(String.valueOf(HELD), FlagctlRun.run(maintd.flags(), "get", "inflight").ok().out().strip());

            app.release();
            for (CompletableFuture<HttpResponse<String>> r : responses) {
                assertEquals(200, r.get(30, TimeUnit.SECONDS).statusCode());
            }
            FlagctlRun.run(maintd.flags(), "wait", "inflight", "--le", "0", "--timeout", "30s").ok();
            assertEquals("0", FlagctlRun.run(maintd.flags(), "get", "inflight").ok().out().strip());
            FlagctlRun.run(maintd.flags(), "wait", "requests", "--ge", String.valueOf(HELD), "--timeout", "30s").ok();
        }
    }

    @Test
    void flagctlWaitInflightReturnsOnlyOnceHeldRequestsFinish() throws Exception {
        try (HeldBackend app = new HeldBackend("app"); MaintdProcess maintd = ObservedMaintd.start(dir, app.port())) {
            List<CompletableFuture<HttpResponse<String>>> responses = holdRequests(maintd, app);
            FlagctlRun.run(maintd.flags(), "wait", "inflight", "--ge", String.valueOf(HELD), "--timeout", "30s").ok();

            Process wait = FlagctlRun.builder(maintd.flags(), "wait", "inflight", "--le", "0", "--timeout", "30s").start();
            BufferedReader err = new BufferedReader(new InputStreamReader(wait.getErrorStream(), StandardCharsets.UTF_8));
            String waiting = err.readLine();
            assertTrue(waiting != null && waiting.startsWith("waiting for inflight <= 0 (now " + HELD + ")"),
                    "flagctl says what it waits for: " + waiting);
            assertTrue(wait.isAlive(), "flagctl wait still waits while requests are held");

            app.release();
            assertTrue(wait.waitFor(30, TimeUnit.SECONDS), "flagctl wait returned after the requests finished");
            assertEquals(0, wait.exitValue());
            for (CompletableFuture<HttpResponse<String>> r : responses) {
                assertEquals(200, r.get(30, TimeUnit.SECONDS).statusCode());
            }
        }
    }

    /** Starts {@link #HELD} requests to {@code /hold} and returns once all reached the backend. */
    private static List<CompletableFuture<HttpResponse<String>>> holdRequests(MaintdProcess maintd, HeldBackend app)
            throws IOException, InterruptedException {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < HELD; i++) {
            responses.add(maintd.getLater(maintd.proxy("/hold")));
        }
        app.awaitHeld(HELD);
        return responses;
    }
}
