package io.maintd.cli;

import io.maintd.syntax.DurationSyntax;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Turns argument text into values, or fails with a usage error that quotes the text and says
 * what was expected. Everything is parsed before the flag file is opened, so a bad argument
 * never leaves a half-done write.
 */
final class ArgumentValues {
    private ArgumentValues() {
    }

    /** A signed 64-bit integer: what every flag holds. */
    static long integer(String what, String text) {
        int start = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        boolean digits = text.length() > start;
        for (int i = start; i < text.length() && digits; i++) {
            char c = text.charAt(i);
            digits = c >= '0' && c <= '9';
        }
        if (!digits) {
            throw CliFailure.usage(what + " \"" + text + "\" is not an integer (flags hold whole numbers, e.g. 0, 1, -5)");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw CliFailure.usage(what + " \"" + text + "\" is out of range: flags are 64-bit, "
                    + Long.MIN_VALUE + ".." + Long.MAX_VALUE);
        }
    }

    /** A count such as {@code -n 20} or {@code --capacity 256}, between {@code min} and {@code max}. */
    static int count(String what, String text, int min, int max) {
        long n = integer(what, text);
        if (n < min || n > max) {
            throw CliFailure.usage(what + " " + text + " is outside " + min + ".." + max);
        }
        return (int) n;
    }

    /** A positive duration in {@link DurationSyntax}'s grammar (as maintd.yaml's): 500ms, 30s, 10m, 2h, 1d, 1h30m. */
    static long durationMillis(String what, String text) {
        long millis;
        try {
            millis = DurationSyntax.parse(text).toMillis();
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(what + " " + e.getMessage());
        } catch (ArithmeticException e) {
            throw CliFailure.usage(what + " '" + text + "' is too long");
        }
        if (millis <= 0) {
            throw CliFailure.usage(what + " '" + text + "' must be longer than zero");
        }
        return millis;
    }

    /**
     * A point in time for {@code --at}: ISO-8601 with an offset ({@code 2026-12-01T02:00Z},
     * {@code 2026-12-01T03:00:00+01:00}), or {@code +DURATION} from {@code nowMillis}
     * ({@code +30m}, the grammar of {@link #durationMillis}); after {@code nowMillis}. java.time
     * parses the ISO form: only this option pays for loading it.
     */
    static long atMillis(String what, String text, long nowMillis) {
        long at;
        if (text.startsWith("+")) {
            try {
                at = Math.addExact(nowMillis, durationMillis(what + " +DURATION:", text.substring(1)));
            } catch (ArithmeticException e) {
                throw CliFailure.usage(what + " \"" + text + "\" is after the end of time");
            }
        } else {
            at = isoMillis(what, text);
        }
        if (at <= nowMillis) {
            throw CliFailure.usage(what + " \"" + text + "\" is in the past (" + DurationText.format(nowMillis - at)
                    + " ago); to change the flag now, leave " + what + " out");
        }
        return at;
    }

    private static long isoMillis(String what, String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            boolean local;
            try {
                LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
                local = true;
            } catch (DateTimeParseException notLocalEither) {
                local = false;
            }
            throw CliFailure.usage(what + " \"" + text + "\" " + (local
                    ? "has no offset, so it could be any time zone's; add Z for UTC or one such as +01:00, e.g. " + text + "Z"
                    : "is not a time: write ISO-8601 with an offset, e.g. 2026-12-01T02:00Z or 2026-12-01T03:00+01:00, or +30m"));
        } catch (ArithmeticException e) {
            throw CliFailure.usage(what + " \"" + text + "\" is too far away");
        }
    }
}
