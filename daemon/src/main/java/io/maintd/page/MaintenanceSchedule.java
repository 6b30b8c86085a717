package io.maintd.page;

import io.maintd.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * What clients may be told about maintenance windows, from the {@code maint} flag: the next
 * scheduled window ({@code flagctl set maint 1 --at ... --for ...}) and the current one (maint on
 * with an expiry: a started window, or a {@code --for}). Made by the daemon's monitor at each tick
 * and read by the proxy per response, so it is a small immutable value; 0 means "none".
 *
 * @param pendingStart when the next window of {@code maint} starts
 * @param pendingEnd   when it ends
 * @param activeSince  when {@code maint} was last switched on, while it is on with an expiry
 * @param activeEnd    when it reverts: the remaining time is the Retry-After
 */
public record MaintenanceSchedule(long pendingStart, long pendingEnd, long activeSince, long activeEnd) {
    public static final MaintenanceSchedule NONE = new MaintenanceSchedule(0, 0, 0, 0);

    /**
     * The announcement header's value, {@code start=2026-12-01T02:00:00Z; end=2026-12-01T03:00:00Z}:
     * for the current window, or for the next one from {@code lead} before it starts; null when
     * there is nothing to announce (or {@code lead} is zero, announcing off).
     */
    public String announcement(long nowMillis, Duration lead) {
        if (lead.isZero()) {
            return null;
        }
        if (currentEnd(nowMillis) > 0) {
            return "start=" + second(currentStart(nowMillis)) + "; end=" + second(currentEnd(nowMillis));
        }
        if (pendingStart > nowMillis && pendingStart - nowMillis <= lead.toMillis()) {
            return "start=" + second(pendingStart) + "; end=" + second(pendingEnd);
        }
        return null;
    }

    /**
     * Retry-After while in maintenance: the seconds left until {@code maint} reverts, at least 1, at
     * most {@code cap}. An expiry that has just passed gives 1: the monitor reverts the flag within a tick.
     */
    public long retryAfterSeconds(long nowMillis, Duration cap) {
        long end = activeEnd > 0 ? activeEnd : currentEnd(nowMillis);
        if (end == 0) {
            return cap.toSeconds();
        }
        long left = (end - nowMillis + 999) / 1000;
        return Math.max(1, Math.min(cap.toSeconds(), left));
    }

    /** {@code /.well-known/maintenance}: the current and the next window, for a front-end's banner. */
    public String wellKnownJson(long nowMillis) {
        JsonObject json = new JsonObject();
        if (currentEnd(nowMillis) > 0) {
            json.put("status", "active").put("start", second(currentStart(nowMillis))).put("end", second(currentEnd(nowMillis)));
        } else if (pendingStart > nowMillis) {
            json.put("status", "scheduled").put("start", second(pendingStart)).put("end", second(pendingEnd));
        } else {
            json.put("status", "none").put("start", (String) null).put("end", (String) null);
        }
        return json.toString();
    }

    /**
     * The end of the window {@code maint} is in, or 0. A scheduled window whose start has passed
     * counts although the monitor has not started it yet: the rules read the flag itself, which the
     * monitor sets a moment before it makes the next schedule, and the proxy's schedule may be a
     * tick old, so the first maintenance responses of a window would otherwise say the configured
     * Retry-After and announce nothing.
     */
    private long currentEnd(long nowMillis) {
        if (activeEnd > nowMillis) {
            return activeEnd;
        }
        return pendingStart > 0 && pendingStart <= nowMillis && nowMillis < pendingEnd ? pendingEnd : 0;
    }

    private long currentStart(long nowMillis) {
        return activeEnd > nowMillis ? activeSince : pendingStart;
    }

    /** Whole seconds, as HTTP dates are: {@code 2026-12-01T02:00:00Z}. */
    private static String second(long millis) {
        return Instant.ofEpochSecond(Math.floorDiv(millis, 1000)).toString();
    }
}
