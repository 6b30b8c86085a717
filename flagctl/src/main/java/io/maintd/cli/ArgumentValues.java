package io.maintd.cli;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Turns argument text into values, or fails with a usage error that quotes the text and says
 * what was expected. Everything is parsed before the flag file is opened, so a bad argument
 * never leaves a half-done write.
 */
final class ArgumentValues {
    private static final PosixFilePermission[] MODE_BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

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

    /** An octal file mode such as 0660 or 660; only permission bits, never world-writable. */
    static Set<PosixFilePermission> mode(String what, String text) {
        int bits = 0;
        boolean octal = !text.isEmpty() && text.length() <= 4;
        for (int i = 0; i < text.length() && octal; i++) {
            char c = text.charAt(i);
            octal = c >= '0' && c <= '7';
            bits = bits * 8 + (c - '0');
        }
        if (!octal || bits > 0777) {
            throw CliFailure.usage(what + " \"" + text + "\" is not an octal permission mode such as 0660");
        }
        Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < MODE_BITS.length; bit++) {
            if ((bits & (1 << bit)) != 0) {
                mode.add(MODE_BITS[bit]);
            }
        }
        if (mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw CliFailure.usage(what + " " + text + " is world-writable: any local user could flip maintenance, "
                    + "and flagctl refuses to write such a file (use 0660 and --group)");
        }
        if (!mode.contains(PosixFilePermission.OWNER_READ) || !mode.contains(PosixFilePermission.OWNER_WRITE)) {
            throw CliFailure.usage(what + " " + text + " does not let the owner read and write the file");
        }
        return mode;
    }
}
