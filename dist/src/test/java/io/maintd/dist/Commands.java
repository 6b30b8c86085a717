package io.maintd.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a bounded wait; stdout and stderr together. */
final class Commands {
    private Commands() {
    }

    record Result(int code, String out) {
        Result ok() {
            if (code != 0) {
                throw new AssertionError("exit " + code + ":\n" + out);
            }
            return this;
        }
    }

    static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        return run(new ProcessBuilder(command), timeoutSeconds);
    }

    static Result run(ProcessBuilder builder, long timeoutSeconds) throws IOException, InterruptedException {
        Path output = Files.createTempFile("maintd-dist-", ".out");
        try {
            Process p = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", builder.command()) + " did not end within " + timeoutSeconds
                        + " s:\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The tool's path, or an AssertionError saying what to install: these tests never skip silently. */
    static Path require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool);
            }
        }
        throw new AssertionError(tool + " is not installed; this test needs it (apt-get install " + debianPackage
                + "; .ci/run installs it)");
    }

    static void requireRoot(String why) throws IOException, InterruptedException {
        String uid = run(List.of("id", "-u"), 30).ok().out().strip();
        if (!uid.equals("0")) {
            throw new AssertionError("this test must run as root (uid " + uid + "): " + why);
        }
    }
}
