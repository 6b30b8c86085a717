package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class DaemonLockHoldersTest {
    @TempDir
    Path dir;

    @Test
    void onlyPosixWriteLocksOnTheDaemonLockByteAreHolders() throws IOException {
        Path file = dir.resolve("flags");
        Files.createFile(file);
        long dev = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
        long ino = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
        String id = String.format("%02x:%02x:%d", (dev >> 8) & 0xfff, dev & 0xff, ino);

        DaemonLockHolders holders = DaemonLockHolders.parse(List.of(
                "1: FLOCK  ADVISORY  WRITE 11 " + id + " 0 EOF",
                "2: POSIX  ADVISORY  READ  12 " + id + " 1024 1024",
                "3: POSIX  ADVISORY  WRITE 13 " + id + " 1032 1032",
                "4: OFDLCK ADVISORY  WRITE -1 " + id + " 1024 1024",
                "5: POSIX  ADVISORY  WRITE 15 " + id + " 1024 1024",
                "5: -> POSIX  ADVISORY  WRITE 16 " + id + " 1024 1024",
                "6: POSIX  ADVISORY  WRITE x " + id + " 1024 1024",
                "7: POSIX  ADVISORY  WRITE 17 nonsense 1024 1024",
                "garbage"));

        assertTrue(holders.known());
        assertEquals(new DaemonLockHolders.Holder(15, dev, ino), holders.of(file));
    }

    @Test
    void theKernelsLockTableNamesTheProcessHoldingTheDaemonLock() throws IOException {
        Path file = dir.resolve("flags");
        FlagFile.createIfMissing(file, 4, FlagFile.DEFAULT_MODE, null);
        try (ChildJvm daemon = ChildJvm.start("hold-daemon-lock", file.toString())) {
            daemon.expectLine("locked ");

            DaemonLockHolders.Holder holder = DaemonLockHolders.now().of(file);

            assertEquals(daemon.pid(), holder.pid());
            assertEquals(0, daemon.awaitExit());
        }
        assertNull(DaemonLockHolders.now().of(file), "released with the process");
    }

    @Test
    void devicesAreEncodedAsStatReportsThem() {
        assertEquals(0xfe00, DaemonLockHolders.encodeDevice(0xfe, 0));
        assertEquals(0x1000_0030_0801L, DaemonLockHolders.encodeDevice(0x1008, 0x301));
    }
}
