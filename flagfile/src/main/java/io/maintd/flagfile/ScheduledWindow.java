package io.maintd.flagfile;

/**
 * A scheduled change of one flag (layout v2's window table): from {@code startsAtMillis} the flag
 * holds {@code value}; at {@code endsAtMillis} it reverts to what it held before. The daemon
 * starts it, as a timed set ending at {@code endsAtMillis}, and frees it.
 */
public record ScheduledWindow(String flag, long value, long startsAtMillis, long endsAtMillis) {
    /** Whether it has started by {@code nowMillis} (it is overdue when no daemon started it). */
    public boolean due(long nowMillis) {
        return startsAtMillis <= nowMillis;
    }
}
