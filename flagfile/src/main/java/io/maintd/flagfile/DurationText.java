package io.maintd.flagfile;

/**
 * Durations as operators type them, the one grammar for every tool that takes one on a command
 * line or in a form ({@code flagctl set --for}, {@code --at +30m}, {@code wait --timeout}, the
 * admin page): a whole number and a unit, {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h},
 * {@code 1d}, or a sum of them such as {@code 1h30m}; always more than zero. And the same
 * durations written back for people: the two largest units, e.g. {@code 9m58s}, {@code 2h5m},
 * {@code 350ms}.
 */
public final class DurationText {
    private static final long[] UNIT_MILLIS = {86_400_000, 3_600_000, 60_000, 1_000};
    private static final String[] UNIT_NAMES = {"d", "h", "m", "s"};
    /** More digits than this in one amount overflows long arithmetic before the unit is applied. */
    private static final int MAX_DIGITS = 12;

    private DurationText() {
    }

    /**
     * @throws IllegalArgumentException quoting {@code text} and saying what was expected, fit to
     *                                  follow the option or field name
     */
    public static long parseMillis(String text) {
        long total = 0;
        int i = 0;
        if (text.isEmpty()) {
            throw notADuration(text);
        }
        while (i < text.length()) {
            int digitsStart = i;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            int unitStart = i;
            while (i < text.length() && (text.charAt(i) < '0' || text.charAt(i) > '9')) {
                i++;
            }
            if (digitsStart == unitStart || unitStart == i || unitStart - digitsStart > MAX_DIGITS) {
                throw notADuration(text);
            }
            long amount = Long.parseLong(text.substring(digitsStart, unitStart));
            long unit = unitMillis(text.substring(unitStart, i));
            if (unit == 0) {
                throw notADuration(text);
            }
            try {
                total = Math.addExact(total, Math.multiplyExact(amount, unit));
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("\"" + text + "\" is too long");
            }
        }
        if (total <= 0) {
            throw new IllegalArgumentException("\"" + text + "\" must be longer than zero");
        }
        return total;
    }

    private static long unitMillis(String unit) {
        switch (unit) {
            case "ms": return 1;
            case "s": return 1_000;
            case "m": return 60_000;
            case "h": return 3_600_000;
            case "d": return 86_400_000;
            default: return 0;
        }
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException("\"" + text + "\" is not a duration (use e.g. 500ms, 30s, 10m, 2h, 1d or 1h30m)");
    }

    public static String format(long millis) {
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
    public static String ago(long thenMillis, long nowMillis) {
        if (thenMillis == 0) {
            return "never";
        }
        return format(Math.max(0, nowMillis - thenMillis)) + " ago";
    }
}
