package io.maintd.flagfile;

/**
 * Epoch milliseconds as ISO-8601 UTC ({@code 2026-11-23T09:30:00.123Z}). Written out by hand
 * because java.time's formatter pulls dozens of classes into every {@code flagctl set}, and
 * start-up time is the budget that matters for that tool.
 */
public final class IsoTime {
    private IsoTime() {
    }

    public static String format(long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        long msOfDay = Math.floorMod(epochMillis, 86_400_000L);
        // Civil-from-days (H. Hinnant): proleptic Gregorian date from days since 1970-01-01.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder b = new StringBuilder(24);
        b.append(year).append('-');
        two(b, month).append('-');
        two(b, day).append('T');
        two(b, msOfDay / 3_600_000).append(':');
        two(b, msOfDay / 60_000 % 60).append(':');
        two(b, msOfDay / 1_000 % 60).append('.');
        long ms = msOfDay % 1_000;
        if (ms < 100) {
            b.append('0');
        }
        two(b, ms).append('Z');
        return b.toString();
    }

    private static StringBuilder two(StringBuilder b, long n) {
        if (n < 10) {
            b.append('0');
        }
        return b.append(n);
    }
}
