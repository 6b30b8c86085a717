package io.maintd.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.Launchers;
import io.maintd.testsupport.MaintdProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled maintenance windows with real processes: {@code flagctl set maint 1 --at ... --for ...}
 * against a real maintd, checked through its proxy. Every wait is for a condition with a bound.
 */
@Timeout(180)
class WindowIT {
    private static final String CONFIG = "maintenance: { announce: 1h, well-known: true, retry-after: 120s }";

    @TempDir
    Path dir;

    /** Whole seconds, as the header and /.well-known/maintenance give them. */
    private static String second(long millis) {
        return Instant.ofEpochSecond(millis / 1000).toString();
    }

    @Test
    void aWindowIsAnnouncedThenServedAsMaintenanceThenOver() throws Exception {
        try (HeldBackend app = new HeldBackend("app");
             MaintdProcess maintd = ObservedMaintd.start(dir, app.port(), "127.0.0.1:0", CONFIG)) {
            long start = System.currentTimeMillis() + 3_000;
            long end = start + 3_000;
            FlagctlRun.run(maintd.flags(), "set", "maint", "1", "--at", Instant.ofEpochMilli(start).toString(),
                    "--for", "3s", "--reason", "window test").ok();
            String announced = "start=" + second(start) + "; end=" + second(end);

            HttpResponse<String> before = maintd.get(maintd.proxy("/"));
            assertEquals(200, before.statusCode(), "the window has not started");
            assertEquals(announced, before.headers().firstValue("maintd-maintenance").orElse(null), "announced before it");
            HttpResponse<String> wellKnown = maintd.get(maintd.proxy("/.well-known/maintenance"));
            assertEquals(200, wellKnown.statusCode());
            assertEquals("{\"status\":\"scheduled\",\"start\":\"" + second(start) + "\",\"end\":\"" + second(end) + "\"}\n",
                    wellKnown.body());
            assertEquals("*", wellKnown.headers().firstValue("access-control-allow-origin").orElse(null));
            assertTrue(maintd.adminBody("/status").contains("\"windows\":[{\"name\":\"maint\",\"value\":1,"));

            // 200 until the start, 503 through the window, 200 after: polled, never timed.
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> during = awaitStatus(maintd, 503, statuses);
            long retryAfter = Long.parseLong(during.headers().firstValue("retry-after").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 3, "Retry-After is the time left (at most 3 s), not 120: " + during.headers().map());
            assertTrue(during.headers().firstValue("maintd-maintenance").orElse("").endsWith("; end=" + second(end)),
                    during.headers().map().toString());
            assertTrue(maintd.get(maintd.proxy("/.well-known/maintenance")).body().startsWith("{\"status\":\"active\","));
            HttpResponse<String> after = awaitStatus(maintd, 200, statuses);
            assertFalse(after.headers().firstValue("maintd-maintenance").isPresent(), "nothing left to announce");
            assertTrue(statuses.indexOf(503) > 0 || statuses.get(0) == 503, statuses.toString());
            assertFalse(statuses.subList(statuses.indexOf(503), statuses.lastIndexOf(503)).contains(200),
                    "one stretch of 503: " + statuses);
            assertFalse(maintd.awaitLogLine("window started: maint 1 from").contains("no daemon ran"), "this daemon ran at its start");
            assertTrue(FlagctlRun.run(maintd.flags(), "get", "maint").ok().out().equals("0\n"), "reverted at the end");
        }
    }

    @Test
    void aRestartInsideTheWindowStaysInMaintenanceUntilItsEnd() throws Exception {
        try (HeldBackend app = new HeldBackend("app")) {
            long end;
            try (MaintdProcess first = ObservedMaintd.start(dir, app.port(), "127.0.0.1:0", CONFIG)) {
                long start = System.currentTimeMillis() + 1_000;
                end = start + 20_000;
                FlagctlRun.run(first.flags(), "set", "maint", "1", "--at", "+1s", "--for", "20s").ok();
                awaitStatus(first, 503, new ArrayList<>());
            }
            try (MaintdProcess second = ObservedMaintd.start(dir, app.port(), "127.0.0.1:0", CONFIG)) {
                List<Integer> statuses = new ArrayList<>();
                statuses.add(second.get(second.proxy("/")).statusCode());
                if (System.currentTimeMillis() < end - 1_000) {
                    assertEquals(503, statuses.get(0), "restarted inside the window: still in maintenance");
                }
                awaitStatus(second, 200, statuses);
                assertTrue(System.currentTimeMillis() >= end - 1_000, "maintenance ended with the window, not at the restart");
            }
        }
    }

    @Test
    void aHostDownAtTheStartEntersTheWindowAsSoonAsItComesUp() throws Exception {
        try (HeldBackend app = new HeldBackend("app")) {
            try (MaintdProcess first = ObservedMaintd.start(dir, app.port(), "127.0.0.1:0", CONFIG)) {
                assertEquals(200, first.get(first.proxy("/")).statusCode());
            }
            long start = System.currentTimeMillis() + 1_000;
            FlagctlRun set = FlagctlRun.run(dir.resolve("flags"), "set", "maint", "1", "--at", "+1s", "--for", "1h");
            assertTrue(set.ok().err().contains("no maintd daemon is alive"), set.err());
            awaitClock(start);
            try (MaintdProcess second = ObservedMaintd.start(dir, app.port(), "127.0.0.1:0", CONFIG)) {
                assertEquals(503, second.get(second.proxy("/")).statusCode(), "the first request is already in maintenance");
                assertTrue(second.awaitLogLine("window started: maint 1 from").contains("no daemon ran at its start"));
            }
        }
    }

    @Test
    void aHostThatComesUpAfterTheWindowNeverEntersIt() throws Exception {
        try (HeldBackend app = new HeldBackend("app")) {
            try (MaintdProcess first = ObservedMaintd.start(dir, app.port(), "127.0.0.1:0", CONFIG)) {
                assertEquals(200, first.get(first.proxy("/")).statusCode());
            }
            long end = System.currentTimeMillis() + 1_500;
            FlagctlRun.run(dir.resolve("flags"), "set", "maint", "1", "--at", "+500ms", "--for", "1s").ok();
            awaitClock(end);
            try (MaintdProcess second = ObservedMaintd.start(dir, app.port(), "127.0.0.1:0", CONFIG)) {
                assertEquals(200, second.get(second.proxy("/")).statusCode());
                assertTrue(second.awaitLogLine("window dropped: maint 1 from").contains("it ended before it could start"));
                assertEquals("0\n", FlagctlRun.run(second.flags(), "get", "maint").ok().out());
            }
        }
    }

    /** GETs the proxy's / until it answers {@code status} (30 s at most), noting every status seen. */
    private static HttpResponse<String> awaitStatus(MaintdProcess maintd, int status, List<Integer> seen) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Predicate<HttpResponse<String>> wanted = r -> r.statusCode() == status;
        while (true) {
            HttpResponse<String> response = maintd.get(maintd.proxy("/"));
            seen.add(response.statusCode());
            if (wanted.test(response)) {
                return response;
            }
            assertTrue(System.nanoTime() < deadline, "never " + status + "; saw " + seen);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** Until the wall clock has passed {@code millis} (the point of these tests is a time of day). */
    private static void awaitClock(long millis) throws InterruptedException {
        while (System.currentTimeMillis() <= millis) {
            TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(100, millis + 1 - System.currentTimeMillis())));
        }
    }
}
