package io.maintd.config;

/**
 * Byte sizes as nginx writes them: a number of bytes, or with {@code k}/{@code m}
 * (also {@code KiB}/{@code MiB}), all powers of 1024.
 */
public final class SizeSyntax {
    private SizeSyntax() {
    }

    /** @throws IllegalArgumentException with a message fit to show after the key */
    public static int parse(String text) {
        String t = text.strip();
        int unitStart = 0;
        while (unitStart < t.length() && Character.isDigit(t.charAt(unitStart))) {
            unitStart++;
        }
        if (unitStart == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a size (write e.g. 8192, 8k, 1m)");
        }
        long multiplier;
        switch (t.substring(unitStart).toLowerCase(java.util.Locale.ROOT)) {
            case "":
                multiplier = 1;
                break;
            case "k":
            case "kib":
                multiplier = 1024;
                break;
            case "m":
            case "mib":
                multiplier = 1024 * 1024;
                break;
            default:
                throw new IllegalArgumentException("'" + text + "' has an unknown unit (use k or m, powers of 1024)");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(t.substring(0, unitStart)), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            bytes = Long.MAX_VALUE;
        }
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is larger than 2 GiB");
        }
        return (int) bytes;
    }
}
