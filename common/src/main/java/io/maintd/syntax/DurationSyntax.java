package io.maintd.syntax;

import java.time.Duration;

/**
 * Durations as operators write them in nginx and HAProxy: a whole number and a unit,
 * {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}. A bare {@code 0} is allowed because
 * zero needs no unit; any other bare number is refused, since "30" could mean seconds or
 * milliseconds depending on which tool the operator last used.
 */
public final class DurationSyntax {
    private DurationSyntax() {
    }

    /** @throws IllegalArgumentException with a message fit to show after the key */
    public static Duration parse(String text) {
        String t = text.strip();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        int unitStart = 0;
        while (unitStart < t.length() && Character.isDigit(t.charAt(unitStart))) {
            unitStart++;
        }
        if (unitStart == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (write e.g. 500ms, 30s, 2m, 1h)");
        }
        long amount;
        try {
            amount = Long.parseLong(t.substring(0, unitStart));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a duration");
        }
        String unit = t.substring(unitStart);
        switch (unit) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            case "":
                throw new IllegalArgumentException("'" + text + "' needs a unit (ms, s, m or h), e.g. " + amount + "s");
            default:
                throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + unit + "' (use ms, s, m or h)");
        }
    }
}
