package io.maintd.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One finished {@code bin/flagctl} process: its pid (the launcher execs java), exit code and output. */
public record FlagctlRun(long pid, int exit, String out, String err) {

    public static ProcessBuilder builder(Path flags, String... args) {
        List<String> command = new ArrayList<>(List.of(Launchers.flagctl().toString(), "--file", flags.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("MAINTD_FLAGS");
        pb.environment().remove("FLAGCTL_JAVA_OPTS");
        return pb;
    }

    /**
     * Starts flagctl without waiting, for commands that run until stopped ({@code follow},
     * {@code watch}); stdout and stderr go to {@code output}. The caller stops it.
     */
    public static Process start(Path flags, Path output, String... args) throws IOException {
        return builder(flags, args).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    public static FlagctlRun run(Path flags, String... args) throws Exception {
        return finish(builder(flags, args).start());
    }

    public static FlagctlRun finish(Process p) throws Exception {
        StringBuilder err = new StringBuilder();
        Thread errReader = new Thread(() -> {
            try {
                err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // The process died; what was read is what there is.
            }
        });
        errReader.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "flagctl still running after 120 s");
        errReader.join(TimeUnit.SECONDS.toMillis(30));
        return new FlagctlRun(p.pid(), p.exitValue(), out, err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }

    /** Fails with the output when flagctl did not exit 0. */
    public FlagctlRun ok() {
        if (exit != 0) {
            throw new AssertionError("flagctl exited " + exit + ": " + err);
        }
        return this;
    }
}
