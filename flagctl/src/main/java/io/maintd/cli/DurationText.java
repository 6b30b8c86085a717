package io.maintd.cli;

/** Durations for people: the two largest units, e.g. {@code 9m58s}, {@code 2h5m}, {@code 350ms}. */
final class DurationText {
    private static final long[] UNIT_MILLIS = {86_400_000, 3_600_000, 60_000, 1_000};
    private static final String[] UNIT_NAMES = {"d", "h", "m", "s"};

    private DurationText() {
    }

    static String format(long millis) {
        if (millis < 0) {
            return "-" + format(-millis);
        }
        if (millis < 1_000) {
            return millis + "ms";
        }
        if (millis < 10_000) {
            return (millis / 1_000) + "." + (millis % 1_000 / 100) + "s";
        }
        StringBuilder b = new StringBuilder();
        long rest = millis;
        int shown = 0;
        for (int u = 0; u < UNIT_MILLIS.length && shown < 2; u++) {
            long n = rest / UNIT_MILLIS[u];
            if (n > 0 || shown > 0) {
                b.append(n).append(UNIT_NAMES[u]);
                rest -= n * UNIT_MILLIS[u];
                shown++;
            }
        }
        return b.toString();
    }

    /** "3.2s ago", or "never" for a zero timestamp. */
    static String ago(long thenMillis, long nowMillis) {
        if (thenMillis == 0) {
            return "never";
        }
        return format(Math.max(0, nowMillis - thenMillis)) + " ago";
    }
}
