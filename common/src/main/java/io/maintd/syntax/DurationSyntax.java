package io.maintd.syntax;

import java.time.Duration;

/**
 * Durations as operators write them, the one grammar for maintd.yaml's timeouts and every
 * duration on a command line ({@code flagctl set --for}, {@code wait --timeout},
 * {@code maintd reload --timeout}): a whole number and a unit, {@code 500ms}, {@code 30s},
 * {@code 2m}, {@code 1h}, {@code 1d}, or a sum of them such as {@code 1h30m} (as Go's and
 * HAProxy's durations). A bare {@code 0} is allowed because zero needs no unit; any other bare
 * number is refused, since "30" could mean seconds or milliseconds depending on which tool the
 * operator last used. Whether zero makes sense is the caller's to say.
 */
public final class DurationSyntax {
    private static final String UNITS = "ms, s, m, h or d";
    /** More digits than this in one amount would overflow before the unit is applied. */
    private static final int MAX_DIGITS = 15;

    private DurationSyntax() {
    }

    /** @throws IllegalArgumentException quoting {@code text}, with a message fit to show after the key or option */
    public static Duration parse(String text) {
        String t = text.strip();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Duration total = Duration.ZERO;
        int i = 0;
        do {
            int digits = i;
            while (i < t.length() && isDigit(t.charAt(i))) {
                i++;
            }
            int unitStart = i;
            while (i < t.length() && t.charAt(i) >= 'a' && t.charAt(i) <= 'z') {
                i++;
            }
            if (digits == unitStart || (i < t.length() && !isDigit(t.charAt(i)))) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (write e.g. 500ms, 30s, 2m, 1h, 1d"
                        + " or 1h30m)");
            }
            String unit = t.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' needs a unit (" + UNITS + "), e.g. "
                        + t.substring(digits, unitStart) + "s");
            }
            if (unitStart - digits > MAX_DIGITS) {
                throw tooLarge(text);
            }
            try {
                total = total.plus(of(Long.parseLong(t.substring(digits, unitStart)), unit, text));
            } catch (ArithmeticException e) {
                throw tooLarge(text);
            }
        } while (i < t.length());
        return total;
    }

    private static Duration of(long amount, String unit, String text) {
        switch (unit) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            case "d":
                return Duration.ofDays(amount);
            default:
                throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + unit + "' (use " + UNITS + ")");
        }
    }

    /** ASCII only: {@link Character#isDigit} would take other scripts' digits, which no operator means. */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException tooLarge(String text) {
        return new IllegalArgumentException("'" + text + "' is too large a duration");
    }
}
