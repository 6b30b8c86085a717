package io.maintd.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What clients are told about the maint flag's windows, on explicit clock values. */
class MaintenanceScheduleTest {
    private static final long START = Instant.parse("2026-12-01T02:00:00Z").toEpochMilli();
    private static final long END = Instant.parse("2026-12-01T03:00:00Z").toEpochMilli();
    private static final MaintenanceSchedule PENDING = new MaintenanceSchedule(START, END, 0, 0);
    private static final MaintenanceSchedule ACTIVE = new MaintenanceSchedule(0, 0, START, END);

    @Test
    void aWindowIsAnnouncedFromTheLeadTimeBeforeItUntilItStarts() {
        Duration lead = Duration.ofHours(24);
        assertNull(PENDING.announcement(START - lead.toMillis() - 1, lead), "too early");
        assertEquals("start=2026-12-01T02:00:00Z; end=2026-12-01T03:00:00Z", PENDING.announcement(START - lead.toMillis(), lead));
        assertEquals("start=2026-12-01T02:00:00Z; end=2026-12-01T03:00:00Z", ACTIVE.announcement(START + 1, lead));
        assertNull(ACTIVE.announcement(END, lead), "over");
        assertNull(PENDING.announcement(START - 1, Duration.ZERO), "announce: 0 is off");
    }

    @Test
    void retryAfterIsTheTimeLeftCappedByTheConfiguredValue() {
        Duration cap = Duration.ofSeconds(120);
        assertEquals(120, ACTIVE.retryAfterSeconds(START, cap), "an hour left: the cap");
        assertEquals(90, ACTIVE.retryAfterSeconds(END - 90_000, cap));
        assertEquals(2, ACTIVE.retryAfterSeconds(END - 1_001, cap), "rounded up: never before the end");
        assertEquals(1, ACTIVE.retryAfterSeconds(END - 1, cap), "at least 1");
        assertEquals(1, ACTIVE.retryAfterSeconds(END + 50, cap), "expired, and reverted within a tick: 1, not the configured value");
        assertEquals(120, MaintenanceSchedule.NONE.retryAfterSeconds(START, cap), "no known end: the configured value");
    }

    /** The rules see the flag the monitor set before the proxy sees the monitor's next schedule. */
    @Test
    void aWindowWhoseStartHasPassedIsCurrentBeforeTheMonitorStartsIt() {
        Duration cap = Duration.ofSeconds(120);
        assertEquals(30, PENDING.retryAfterSeconds(END - 30_000, cap), "the time left to the window's end");
        assertEquals("start=2026-12-01T02:00:00Z; end=2026-12-01T03:00:00Z", PENDING.announcement(START, Duration.ofHours(1)));
        assertEquals("{\"status\":\"active\",\"start\":\"2026-12-01T02:00:00Z\",\"end\":\"2026-12-01T03:00:00Z\"}",
                PENDING.wellKnownJson(START));
        assertEquals(120, PENDING.retryAfterSeconds(END, cap), "over: the configured value");
        assertEquals("{\"status\":\"none\",\"start\":null,\"end\":null}", PENDING.wellKnownJson(END));
    }

    @Test
    void wellKnownSaysActiveScheduledOrNone() {
        assertEquals("{\"status\":\"scheduled\",\"start\":\"2026-12-01T02:00:00Z\",\"end\":\"2026-12-01T03:00:00Z\"}",
                PENDING.wellKnownJson(START - 1));
        assertEquals("{\"status\":\"active\",\"start\":\"2026-12-01T02:00:00Z\",\"end\":\"2026-12-01T03:00:00Z\"}",
                ACTIVE.wellKnownJson(START + 1));
        assertEquals("{\"status\":\"none\",\"start\":null,\"end\":null}", MaintenanceSchedule.NONE.wellKnownJson(START));
    }
}
