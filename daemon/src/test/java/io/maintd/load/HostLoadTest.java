package io.maintd.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostLoadTest {
    @TempDir
    Path proc;

    @Test
    void loadAverageIsReadAsHundredths() {
        assertEquals(52, HostLoad.parseLoad1("0.52 0.58 0.59 1/467 12345\n"));
        assertEquals(1207, HostLoad.parseLoad1("12.07 3.00 1.00 2/99 1\n"));
        assertEquals(0, HostLoad.parseLoad1("0.00"));
    }

    @Test
    void malformedOrTruncatedLoadAverageIsUnknown() {
        for (String bad : new String[] {"", "\n", "0.5 0.1", ".52 1", "x.52 1", "1.5x 1", "-1.00 2", "1.523 1", "0. 1",
                "99999999999999999.00 1", "0,52 1"}) {
            assertEquals(HostLoad.UNKNOWN, HostLoad.parseLoad1(bad), bad);
        }
    }

    @Test
    void cpuLineGivesBusyAndTotalTicks() {
        long[] ticks = new long[2];
        assertTrue(HostLoad.parseCpu("cpu  100 5 50 800 40 3 2 0 0 0\ncpu0 1 2 3 4\n", ticks));
        assertArrayEquals(new long[] {160, 1000}, ticks);
        assertTrue(HostLoad.parseCpu("cpu 1 2 3 4", ticks), "an old kernel's four fields");
        assertArrayEquals(new long[] {6, 10}, ticks);
    }

    @Test
    void malformedCpuLineIsRefusedAndLeavesTheTicksAlone() {
        long[] ticks = {7, 9};
        for (String bad : new String[] {"", "cpu", "cpu0 1 2 3 4", "cpu 1 2 3", "cpu 1 2 x 4", "cpu 1 -2 3 4",
                "intr 1 2 3 4\ncpu 1 2 3 4", "cpu 9223372036854775807 1 1 1", "cpu 99999999999999999999 1 1 1"}) {
            assertFalse(HostLoad.parseCpu(bad, ticks), bad);
        }
        assertArrayEquals(new long[] {7, 9}, ticks);
    }

    @Test
    void anOversizeFileIsReadOnlyUpToItsFirstPart() throws Exception {
        Files.writeString(proc.resolve("stat"), "cpu  1 0 1 8 0 0 0 0 0 0\n" + "x".repeat(200_000));
        long[] ticks = new long[2];
        assertTrue(new HostLoad(proc).cpuTicks(ticks));
        assertArrayEquals(new long[] {2, 10}, ticks);
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        var e = assertThrows(NoSuchFileException.class, () -> new HostLoad(proc).load1Hundredths());
        assertTrue(e.getMessage().contains("loadavg"), e.getMessage());
    }

    @Test
    void thisHostHasBoth() throws Exception {
        HostLoad host = HostLoad.ofThisHost();
        assertTrue(host.load1Hundredths() >= 0);
        assertTrue(host.cpuTicks(new long[2]));
    }
}
