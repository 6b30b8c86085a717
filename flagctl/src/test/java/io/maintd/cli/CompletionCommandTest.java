package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The generated bash completion, exercised by a real bash against a real flagctl process. */
@Timeout(60)
class CompletionCommandTest {
    @TempDir
    Path dir;
    Path script;
    Path flagctl;
    Path file;

    @BeforeEach
    void writeScriptAndLauncher() throws IOException {
        CliRun run = CliRun.run("completion");
        assertEquals(0, run.code, run::toString);
        script = Files.writeString(dir.resolve("flagctl.bash"), run.out);
        flagctl = Files.writeString(dir.resolve("flagctl"), "#!/bin/sh\nexec '" + javaBin() + "' -cp '"
                + System.getProperty("java.class.path") + "' io.maintd.cli.Flagctl \"$@\"\n");
        Files.setPosixFilePermissions(flagctl, PosixFilePermissions.fromString("rwx------"));
        file = FlagFiles.withMaintAndDrain(dir);
    }

    @Test
    void scriptIsValidBash() throws Exception {
        assertEquals("", bash("bash -n '" + script + "' 2>&1; echo -n"));
    }

    @Test
    void completesCommandNames() throws Exception {
        assertEquals("set\nstatus\n", complete("s"));
    }

    @Test
    void completesTheCommandsOwnOptionsAndGlobalOnes() throws Exception {
        assertEquals("--file\n--for\n", complete("set", "maint", "1", "--f"));
    }

    @Test
    void completesFlagNamesFromTheFileNamedOnTheCommandLine() throws Exception {
        assertEquals("maint\n", complete("--file", file.toString(), "get", "m"));
        assertEquals("drain\n", complete("--file", file.toString(), "watch", "maint", "d"));
    }

    @Test
    void offersDurationsAfterFor() throws Exception {
        assertEquals("10m\n1d\n1h\n1m\n", complete("set", "maint", "1", "--for", "1"));
    }

    private String complete(String... words) throws Exception {
        List<String> all = new ArrayList<>(List.of(flagctl.toString()));
        all.addAll(List.of(words));
        StringBuilder array = new StringBuilder();
        for (String w : all) {
            array.append(" '").append(w).append('\'');
        }
        return bash("source '" + script + "'; COMP_WORDS=(" + array + "); COMP_CWORD=" + (all.size() - 1)
                + "; _flagctl; printf '%s\\n' \"${COMPREPLY[@]}\" | LC_ALL=C sort");
    }

    private static String bash(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
