package io.maintd.lifecycle;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * The daemon's answers to signals, installed in place of the JVM's own: SIGTERM and SIGINT
 * ask for a graceful stop ({@link #awaitStop} returns, and the caller drains), a second one
 * while that drain runs ends the process at once, and SIGHUP asks for a reload.
 *
 * <p>Handled directly rather than through shutdown hooks: a hook runs while the JVM is already
 * exiting, after which nothing may wait for in-flight requests, and JUL's LogManager resets its
 * handlers in a hook of its own, which would swallow the drain's log lines.
 * {@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only way to catch a signal.
 * Each delivery runs on a fresh thread the JVM starts, so handlers may block briefly.
 */
public final class SignalHandlers {
    private static final System.Logger LOG = System.getLogger(SignalHandlers.class.getName());

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicReference<String> stopSignal = new AtomicReference<>();
    private final int forcedExitCode;
    private final Runnable reload;

    private SignalHandlers(int forcedExitCode, Runnable reload) {
        this.forcedExitCode = forcedExitCode;
        this.reload = reload;
    }

    /**
     * @param forcedExitCode what the process exits with when a second stop signal cuts the drain short
     * @param reload         runs on each SIGHUP (serialise it yourself; SIGHUPs may overlap)
     */
    public static SignalHandlers install(int forcedExitCode, Runnable reload) {
        SignalHandlers handlers = new SignalHandlers(forcedExitCode, reload);
        handlers.handle("TERM", handlers::stop);
        handlers.handle("INT", handlers::stop);
        handlers.handle("HUP", signal -> handlers.reload.run());
        return handlers;
    }

    /** Blocks until the first SIGTERM or SIGINT; returns its name ({@code SIGTERM}). */
    public String awaitStop() throws InterruptedException {
        stopRequested.await();
        return stopSignal.get();
    }

    private void stop(Signal signal) {
        String name = "SIG" + signal.getName();
        if (stopSignal.compareAndSet(null, name)) {
            stopRequested.countDown();
            return;
        }
        // halt, not exit: exit would wait for shutdown hooks and for a drain that was told to stop waiting.
        LOG.log(System.Logger.Level.WARNING, "drain: forced by a second stop signal (" + name + " after "
                + stopSignal.get() + "), exit " + forcedExitCode);
        System.err.flush();
        Runtime.getRuntime().halt(forcedExitCode);
    }

    private void handle(String name, Consumer<Signal> action) {
        try {
            Signal.handle(new Signal(name), action::accept);
        } catch (IllegalArgumentException e) {
            // A parent that ignores the signal (nohup for HUP, a non-interactive shell's & for INT) makes it unusable.
            LOG.log(System.Logger.Level.WARNING, "SIG" + name + " cannot be handled here (" + e.getMessage()
                    + "); it keeps its default behaviour");
        }
    }
}
