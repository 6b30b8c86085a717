package io.maintd.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** One in-process run of the real {@code Flagctl.run}: exit code and what went to stdout and stderr. */
final class CliRun {
    final int code;
    final String out;
    final String err;

    private CliRun(int code, String out, String err) {
        this.code = code;
        this.out = out;
        this.err = err;
    }

    static CliRun run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return run(out, env, args);
    }

    /** Runs with a standard output every write to which fails, as on a full disk; {@code out} stays empty. */
    static CliRun withFailingOutput(Path file, String... args) {
        List<String> all = new ArrayList<>(List.of("--file", file.toString()));
        all.addAll(Arrays.asList(args));
        return run(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        }, Map.of(), all.toArray(new String[0]));
    }

    private static CliRun run(OutputStream stdout, Map<String, String> env, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(stdout, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Flagctl.run(args, o, e, env);
        }
        String out = stdout instanceof ByteArrayOutputStream b ? b.toString(StandardCharsets.UTF_8) : "";
        return new CliRun(code, out, err.toString(StandardCharsets.UTF_8));
    }

    static CliRun run(String... args) {
        return run(Map.of(), args);
    }

    /** Runs against {@code file}: {@code --file FILE} is put before the arguments. */
    static CliRun on(Path file, String... args) {
        List<String> all = new ArrayList<>(List.of("--file", file.toString()));
        all.addAll(Arrays.asList(args));
        return run(all.toArray(new String[0]));
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
