package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.testsupport.FlagctlRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code bin/flagctl} as a separate process, the way operators and scripts run it. */
final class Launcher {
    /** Set by failsafe; the launcher at the repository root. */
    static final Path PATH = Path.of(System.getProperty("flagctl.launcher", "../bin/flagctl")).toAbsolutePath().normalize();

    private Launcher() {
    }

    static ProcessBuilder builder(List<String> prefix, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(PATH.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("MAINTD_FLAGS");
        pb.environment().remove("FLAGCTL_JAVA_OPTS");
        pb.environment().putAll(env);
        return pb;
    }

    static Process start(String... args) throws IOException {
        return builder(List.of(), Map.of(), args).start();
    }

    static FlagctlRun run(String... args) throws Exception {
        return finish(start(args));
    }

    static FlagctlRun run(List<String> prefix, Map<String, String> env, String... args) throws Exception {
        return finish(builder(prefix, env, args).start());
    }

    /** Reads stderr line by line until one contains {@code text}: the process is then ready. */
    static void awaitStderrLine(Process p, BufferedReader stderr, String text) throws IOException {
        String line;
        while ((line = stderr.readLine()) != null) {
            if (line.contains(text)) {
                return;
            }
        }
        throw new AssertionError("stderr ended without \"" + text + "\" (process alive: " + p.isAlive() + ")");
    }

    static BufferedReader stderrOf(Process p) {
        return new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    }

    static FlagctlRun finish(Process p) throws Exception {
        return FlagctlRun.finish(p);
    }

    static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }
}
