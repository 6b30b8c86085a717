package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListCommandTest {
    @TempDir
    Path dir;

    @Test
    void listsEveryFlagWithValueKindWriterAndExpiry() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "maint", "1", "--for", "10m");
        FlagFiles.addCounter(file, "inflight", 3);
        CliRun run = CliRun.on(file, "list");
        assertEquals(0, run.code, run::toString);
        String[] lines = run.out.split("\n");
        assertEquals(4, lines.length, run.out);
        assertTrue(lines[0].matches("NAME +VALUE +KIND +UPDATED +BY +EXPIRES +WINDOW"), lines[0]);
        String me = System.getProperty("user.name");
        long pid = ProcessHandle.current().pid();
        assertTrue(lines[1].matches("maint +1 +flag +\\S+ ago +" + me + " pid " + pid + " +in 9m5\\ds -> 0 +-|"
                + "maint +1 +flag +\\S+ ago +" + me + " pid " + pid + " +in 10m0s -> 0 +-"), lines[1]);
        assertTrue(lines[2].matches("drain +0 +flag .*-"), lines[2]);
        assertTrue(lines[3].matches("inflight +3 +counter .*"), lines[3]);
    }

    @Test
    void expiringFlagWithoutDaemonWarnsOnStderr() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "maint", "1", "--for", "10m");
        CliRun run = CliRun.on(file, "list");
        assertTrue(run.err.contains("warning: no maintd daemon is alive"), run::toString);
    }

    @Test
    void noExpiryMeansNoWarning() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        assertEquals("", CliRun.on(file, "list").err);
    }

    @Test
    void jsonListsFlagsWithTheirFields() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "drain", "2", "--for", "1h");
        CliRun run = CliRun.on(file, "--json", "list");
        assertEquals(0, run.code, run::toString);
        assertTrue(run.out.startsWith("{\"file\":\"" + file + "\",\"daemon_alive\":false,\"flags\":[{\"name\":\"maint\","
                + "\"kind\":\"flag\",\"value\":0,"), run.out);
        assertTrue(run.out.contains("{\"name\":\"drain\",\"kind\":\"flag\",\"value\":2,"), run.out);
        assertTrue(run.out.contains("\"reverts_to\":0,\"window\":null}]}"), run.out);
    }

    @Test
    void namesPrintsOnePerLine() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        assertEquals("maint\ndrain\n", CliRun.on(file, "list", "--names").out);
    }

    @Test
    void emptyFileSaysHowToCreateAFlag() {
        Path file = dir.resolve("flags");
        CliRun.on(file, "init");
        assertEquals("no flags in " + file + " (create one with: flagctl create NAME)\n", CliRun.on(file, "list").out);
    }
}
