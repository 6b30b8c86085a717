package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated completion scripts, exercised by a real bash and a real fish against a real
 * flagctl process; zsh, which has no non-interactive way to ask for completions, is checked by
 * its own parser.
 */
@Timeout(60)
class CompletionCommandTest {
    @TempDir
    Path dir;
    Path script;
    Path flagctl;
    Path file;

    @BeforeEach
    void writeScriptAndLauncher() throws IOException {
        script = Files.writeString(dir.resolve("flagctl.bash"), generated("bash"));
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
    void bashIsTheDefaultShell() {
        CliRun run = CliRun.run("completion");
        assertEquals(0, run.code, run::toString);
        assertEquals(generated("bash"), run.out);
    }

    @Test
    void unknownShellIsAUsageError() {
        CliRun run = CliRun.run("completion", "tcsh");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("no completion for shell \"tcsh\" (choose one of bash, zsh, fish)"), run::toString);
    }

    @Test
    void offersOnlyOperatorFlagsToWritingCommands() throws Exception {
        FlagFiles.addCounter(file, "inflight", 0);
        assertEquals("drain\nmaint\n", complete("--file", file.toString(), "set", ""));
        assertEquals("drain\ninflight\nmaint\n", complete("--file", file.toString(), "get", ""));
    }

    @Test
    void zshScriptIsValidZsh() throws Exception {
        Path zsh = Files.writeString(dir.resolve("_flagctl"), generated("zsh"));
        assertEquals("", run("zsh", "-n", zsh.toString()));
    }

    @Test
    void fishCompletesCommandsFlagsOptionsAndDurations() throws Exception {
        FlagFiles.addCounter(file, "inflight", 0);
        Path fish = Files.writeString(dir.resolve("flagctl.fish"), generated("fish"));
        String f = file.toString();
        assertEquals("set\nstatus\n", fish(fish, "flagctl s"));
        assertEquals("drain\nmaint\n", fish(fish, "flagctl --file " + f + " set "));
        assertEquals("drain\ninflight\nmaint\n", fish(fish, "flagctl --file " + f + " watch maint "));
        assertEquals("--file\n--for\n", fish(fish, "flagctl set maint 1 --f"));
        assertEquals("10m\n1d\n1h\n1m\n", fish(fish, "flagctl set maint 1 --for 1"));
    }

    /** What fish offers for {@code line}, candidates only, sorted; the launcher is on fish's PATH as flagctl. */
    private String fish(Path script, String line) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(flagctl, bin.resolve("flagctl"), StandardCopyOption.REPLACE_EXISTING);
        return run("fish", "-c", "set PATH " + bin + " $PATH; source " + script + "; complete -C '" + line
                + "' | string replace -r '\\t.*' '' | LC_ALL=C sort");
    }

    private static String generated(String shell) {
        CliRun run = CliRun.run("completion", shell);
        assertEquals(0, run.code, run::toString);
        return run.out;
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
        return run("bash", "-c", command);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
