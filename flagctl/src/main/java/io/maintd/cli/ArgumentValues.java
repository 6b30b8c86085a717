package io.maintd.cli;

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

    /** A positive duration: 500ms, 30s, 10m, 2h, 1d, or a sum such as 1h30m. */
    static long durationMillis(String what, String text) {
        long total = 0;
        int i = 0;
        if (text.isEmpty()) {
            throw badDuration(what, text);
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
            if (digitsStart == unitStart || unitStart == i || unitStart - digitsStart > 12) {
                throw badDuration(what, text);
            }
            long amount = Long.parseLong(text.substring(digitsStart, unitStart));
            long unit = unitMillis(text.substring(unitStart, i));
            if (unit == 0) {
                throw badDuration(what, text);
            }
            try {
                total = Math.addExact(total, Math.multiplyExact(amount, unit));
            } catch (ArithmeticException e) {
                throw CliFailure.usage(what + " \"" + text + "\" is too long");
            }
        }
        if (total <= 0) {
            throw CliFailure.usage(what + " \"" + text + "\" must be longer than zero");
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

    private static CliFailure badDuration(String what, String text) {
        return CliFailure.usage(what + " \"" + text + "\" is not a duration (use e.g. 500ms, 30s, 10m, 2h, 1d or 1h30m)");
    }
}
