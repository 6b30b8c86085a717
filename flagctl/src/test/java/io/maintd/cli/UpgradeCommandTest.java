package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagSnapshot;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flagctl init --upgrade} on the layout v1 file that the build before v2 wrote
 * ({@code src/test/resources/layout-v1/}, how it was made in its README).
 */
class UpgradeCommandTest {
    @TempDir
    Path dir;

    private Path v1File() throws Exception {
        Path file = dir.resolve("flags");
        try (InputStream fixture = UpgradeCommandTest.class.getResourceAsStream("/layout-v1/flags")) {
            Files.copy(fixture, file);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        return file;
    }

    private static List<FlagSnapshot> flags(Path file) {
        try (FlagFile f = FlagFile.openReadOnly(file)) {
            return f.reader().list();
        }
    }

    @Test
    void aV1FileIsReadAsItWasWritten() throws Exception {
        Path file = v1File();
        CliRun list = CliRun.on(file, "list");
        assertEquals(0, list.code, list::toString);
        assertTrue(list.out.contains("maint  1"), list.out);
        assertTrue(list.out.contains("shed   25"), list.out);
        CliRun init = CliRun.on(file, "init");
        assertTrue(init.out.contains("layout v1); left unchanged; flagctl init --upgrade adds room for --at windows"), init.out);
        CliRun schedule = CliRun.on(file, "set", "maint", "1", "--at", "+1h", "--for", "1h");
        assertEquals(5, schedule.code, schedule::toString);
        assertTrue(schedule.err.contains("is layout v1, which has no room for scheduled windows; upgrade it in place with:"
                + " flagctl init --upgrade"), schedule.err);
    }

    @Test
    void upgradeKeepsEveryFlagValueAndExpiryAndMakesRoomForWindows() throws Exception {
        Path file = v1File();
        List<FlagSnapshot> before = flags(file);
        CliRun upgrade = CliRun.on(file, "init", "--upgrade");
        assertEquals(0, upgrade.code, upgrade::toString);
        assertEquals("upgraded " + file + " in place from layout v1 to v2 (16 slots; every flag kept)\n", upgrade.out);
        assertEquals(before, flags(file), "every slot as it was: name, value, writer, change count, expiry");
        try (FlagFile f = FlagFile.openReadOnly(file)) {
            assertEquals(2, f.layoutVersion());
        }
        assertEquals(0, CliRun.on(file, "set", "maint", "0", "--at", "+1h", "--for", "1h").code);
        assertTrue(Files.readString(dir.resolve("flags.log")).contains("op=upgrade flag=- old=v1 new=v2"));
        CliRun again = CliRun.on(file, "init", "--upgrade");
        assertEquals(0, again.code);
        assertTrue(again.out.contains("layout v2); left unchanged"), again.out);
    }
}
