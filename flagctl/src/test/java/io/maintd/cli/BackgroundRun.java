package io.maintd.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code Flagctl.run} on its own thread, for watch and wait. Its stdout and stderr can be
 * awaited for a piece of text (a handshake, not a sleep), and the thread can be interrupted
 * the way Ctrl-C stops the real process.
 */
final class BackgroundRun {
    private final Capture out = new Capture();
    private final Capture err = new Capture();
    private final Thread thread;
    private volatile int code = -1;

    private BackgroundRun(String[] args) {
        thread = new Thread(() -> {
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                code = Flagctl.run(args, o, e, Map.of());
            }
        }, "flagctl " + String.join(" ", args));
        thread.setDaemon(true);
    }

    static BackgroundRun start(String... args) {
        BackgroundRun run = new BackgroundRun(args);
        run.thread.start();
        return run;
    }

    void awaitStderr(String text) throws InterruptedException {
        err.await(text);
    }

    void awaitStdout(String text) throws InterruptedException {
        out.await(text);
    }

    void interrupt() {
        thread.interrupt();
    }

    /** Waits for the command to end (60 s safety net) and returns its exit code. */
    int exitCode() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(60));
        if (thread.isAlive()) {
            throw new AssertionError("still running after 60 s: " + thread.getName() + "\n" + this);
        }
        return code;
    }

    String stdout() {
        return out.text();
    }

    String stderr() {
        return err.text();
    }

    @Override
    public String toString() {
        return "--- stdout\n" + stdout() + "--- stderr\n" + stderr();
    }

    /** Collects bytes; {@link #await} blocks until the text appears (or 60 s pass). */
    private static final class Capture extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        synchronized void await(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!text().contains(text)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no \"" + text + "\" within 60 s; got:\n" + text());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
