package io.maintd.cli;

import io.maintd.flagfile.DurationText;

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

    /** A positive duration in the operators' grammar ({@link DurationText}): 500ms, 30s, 10m, 2h, 1d, or a sum such as 1h30m. */
    static long durationMillis(String what, String text) {
        try {
            return DurationText.parseMillis(text);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(what + " " + e.getMessage());
        }
    }
}
