package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A separate JVM running {@link FlagWorker} on the test classpath, driven line by line: the
 * test writes commands to its stdin and waits for its stdout lines. Those lines are the
 * handshakes that order events between processes; no test sleeps.
 */
final class ChildJvm implements AutoCloseable {
    /** A safety net for a hung child, never a performance expectation. */
    private static final long LINE_TIMEOUT_SECONDS = 60;
    private static final String END_OF_OUTPUT = "\u0000eof";
    private static final int NOBODY = 65534;

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();

    private ChildJvm(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump(process.getInputStream(), "stdout", stdout::add, () -> stdout.add(END_OF_OUTPUT));
        pump(process.getErrorStream(), "stderr", line -> stderr.append(line).append('\n'), () -> { });
    }

    /** Starts {@code FlagWorker args...}. */
    static ChildJvm start(String... args) {
        return launch(List.of(), System.getProperty("java.class.path"), args);
    }

    /** Starts the worker with this umask; the JDK cannot change its own. */
    static ChildJvm startWithUmask(String umask, String... args) {
        return startAfter("umask " + umask, args);
    }

    /** Starts the worker unable to write beyond {@code bytes} into any file (ulimit -f, 512-byte blocks). */
    static ChildJvm startWithFileSizeLimit(long bytes, String... args) {
        return startAfter("ulimit -f " + bytes / 512, args);
    }

    /** Starts the worker from a shell that runs {@code setup} first; the JDK cannot change these for itself. */
    private static ChildJvm startAfter(String setup, String... args) {
        return launch(List.of("sh", "-c", setup + " && exec \"$@\"", "sh"), System.getProperty("java.class.path"), args);
    }

    /**
     * Starts the worker as nobody when this process is root (root ignores file modes, so a
     * permission test needs another user); an unprivileged test runner already is one.
     * Nobody may not be able to read the build directory (a checkout under /root), so it runs
     * from a world-readable copy of the compiled classes.
     */
    static ChildJvm startAsUnprivilegedUser(String... args) {
        if (WriterIdentity.UID != 0) {
            return start(args);
        }
        return launch(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"),
                WorldReadableClasses.PATH, args);
    }

    /** The uid {@link #startAsUnprivilegedUser} children run as. */
    static int unprivilegedUid() {
        return WriterIdentity.UID == 0 ? NOBODY : WriterIdentity.UID;
    }

    private static ChildJvm launch(List<String> wrapper, String classPath, String... args) {
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small and quick to start: these children do one thing each; no perf data file
        // because an unprivileged child may not write the parent's temp directory.
        command.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-cp", classPath,
                FlagWorker.class.getName()));
        command.addAll(List.of(args));
        try {
            // Every path handed to a child is absolute; "/" is a directory any user may enter.
            return new ChildJvm(new ProcessBuilder(command).directory(new File("/")).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * The class directories of the test classpath (the flag file library and FlagWorker need
     * nothing else), copied once per test run to a world-readable temporary directory that is
     * removed when the test JVM exits.
     */
    private static final class WorldReadableClasses {
        static final String PATH = copy();

        private static String copy() {
            try {
                Path root = Files.createTempDirectory("maintd-child-classes");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
                List<String> entries = new ArrayList<>();
                for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                    Path source = Path.of(entry);
                    if (Files.isDirectory(source)) {
                        Path target = root.resolve(Integer.toString(entries.size()));
                        copyTree(source, target);
                        entries.add(target.toString());
                    }
                }
                try (Stream<Path> copied = Files.walk(root)) {
                    copied.forEach(WorldReadableClasses::makeReadable);
                }
                return String.join(File.pathSeparator, entries);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the test classes for an unprivileged child", e);
            }
        }

        private static void copyTree(Path source, Path target) throws IOException {
            try (Stream<Path> paths = Files.walk(source)) {
                for (Path p : (Iterable<Path>) paths::iterator) {
                    Files.copy(p, target.resolve(source.relativize(p).toString()));
                }
            }
        }

        private static void makeReadable(Path p) {
            try {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void deleteTree(Path root) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // Exiting anyway; a leftover copy in the temp directory is harmless.
            }
        }
    }

    long pid() {
        return process.pid();
    }

    void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("child " + pid() + " no longer reads its stdin" + diagnostics(), e);
        }
    }

    /** Waits for the next stdout line, which must start with {@code prefix}; returns the rest. */
    String expectLine(String prefix) {
        String line;
        try {
            line = stdout.poll(LINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for \"" + prefix + "\" from child " + pid());
        }
        if (line == null) {
            return fail("child " + pid() + " printed nothing within " + LINE_TIMEOUT_SECONDS + " s; expected \""
                    + prefix + "\"" + diagnostics());
        }
        if (line.equals(END_OF_OUTPUT)) {
            stdout.add(END_OF_OUTPUT);
            return fail("child " + pid() + " ended its output; expected \"" + prefix + "\"" + diagnostics());
        }
        if (!line.startsWith(prefix)) {
            return fail("child " + pid() + " printed \"" + line + "\"; expected \"" + prefix + "\"" + diagnostics());
        }
        return line.substring(prefix.length());
    }

    /** Closes stdin (the worker's signal to finish) and returns the exit code. */
    int awaitExit() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // Already gone: its exit code says why.
        }
        try {
            if (!process.waitFor(LINE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("child " + pid() + " did not exit within " + LINE_TIMEOUT_SECONDS + " s" + diagnostics());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for child " + pid() + " to exit");
        }
        return process.exitValue();
    }

    /** SIGKILL, then wait until the kernel has reaped it (and so dropped its locks). */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(LINE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("child " + pid() + " survived SIGKILL for " + LINE_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for killed child " + pid());
        }
    }

    private String diagnostics() {
        String exit = process.isAlive() ? "still running" : "exit code " + process.exitValue();
        return " (" + exit + "; stderr: " + stderr.toString().strip() + ")";
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private static void pump(InputStream in, String name, Consumer<String> sink, Runnable atEnd) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // The child died; its exit code and stderr tell the test why.
            } finally {
                atEnd.run();
            }
        }, "child-" + name);
        t.setDaemon(true);
        t.start();
    }
}
