package io.maintd.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The test's own reading of the host's CPU time from /proc/stat, written apart from the
 * daemon's parser so that the two can be compared: busy is all time but idle and iowait.
 */
final class HostCpu {
    private HostCpu() {
    }

    /** {busy, total} clock ticks since boot, over user..steal. */
    static long[] read() throws Exception {
        String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
        long[] ticks = Arrays.stream(cpu.substring("cpu".length()).trim().split("\\s+")).limit(8)
                .mapToLong(Long::parseLong).toArray();
        long total = Arrays.stream(ticks).sum();
        return new long[] {total - ticks[3] - ticks[4], total};
    }

    static long busyPercent(long[] before, long[] after) {
        long total = after[1] - before[1];
        return total <= 0 ? 0 : Math.round(100.0 * (after[0] - before[0]) / total);
    }
}
