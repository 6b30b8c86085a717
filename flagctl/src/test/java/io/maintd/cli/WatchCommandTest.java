package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class WatchCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsOneLinePerChangeWithWriter() throws Exception {
        Path file = FlagFiles.withMaintAndDrain(dir);
        BackgroundRun watch = BackgroundRun.start("--file", file.toString(), "watch", "maint", "--count", "2");
        watch.awaitStderr("watching maint in " + file);
        CliRun.on(file, "set", "maint", "1");
        watch.awaitStdout("maint 0 -> 1");
        CliRun.on(file, "set", "drain", "5");
        CliRun.on(file, "set", "maint", "0");
        assertEquals(0, watch.exitCode(), watch::toString);
        String[] lines = watch.stdout().split("\n");
        assertEquals(2, lines.length, watch::toString);
        String who = "\\(" + System.getProperty("user.name") + " pid " + ProcessHandle.current().pid() + "\\)";
        assertTrue(lines[0].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z maint 0 -> 1 " + who), lines[0]);
        assertTrue(lines[1].matches("\\S+ maint 1 -> 0 " + who), lines[1]);
    }

    @Test
    void jsonPrintsOneObjectPerLine() throws Exception {
        Path file = FlagFiles.withMaintAndDrain(dir);
        BackgroundRun watch = BackgroundRun.start("--file", file.toString(), "--json", "watch", "--count", "1");
        watch.awaitStderr("watching all flags");
        CliRun.on(file, "set", "drain", "4");
        assertEquals(0, watch.exitCode(), watch::toString);
        assertTrue(watch.stdout().matches("\\{\"time\":\"[^\"]+Z\",\"event\":\"changed\",\"name\":\"drain\",\"old\":0,\"new\":4,"
                + "\"writes\":1,\"writer_pid\":\\d+,.*\"expires_at\":null}\n"), watch::toString);
    }

    @Test
    void reportsCreatedAndDeletedFlags() throws Exception {
        Path file = FlagFiles.withMaintAndDrain(dir);
        BackgroundRun watch = BackgroundRun.start("--file", file.toString(), "watch", "--count", "2");
        watch.awaitStderr("watching all flags");
        CliRun.on(file, "create", "shed", "--value", "10");
        watch.awaitStdout("shed created = 10");
        CliRun.on(file, "delete", "shed");
        assertEquals(0, watch.exitCode(), watch::toString);
        assertTrue(watch.stdout().contains(" shed deleted (was 10)\n"), watch::toString);
    }

    @Test
    void interruptEndsTheWatchWith130() throws Exception {
        Path file = FlagFiles.withMaintAndDrain(dir);
        BackgroundRun watch = BackgroundRun.start("--file", file.toString(), "watch");
        watch.awaitStderr("watching all flags");
        watch.interrupt();
        assertEquals(130, watch.exitCode(), watch::toString);
    }

    @Test
    void unknownFlagIsRefusedBeforeWatching() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "watch", "maint", "dran");
        assertEquals(3, run.code, run::toString);
        assertTrue(run.err.contains("no flag \"dran\"; did you mean \"drain\"?"), run::toString);
    }
}
