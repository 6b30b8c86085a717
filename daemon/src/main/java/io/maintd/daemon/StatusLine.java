package io.maintd.daemon;

import io.maintd.lifecycle.ModeSource;
import io.maintd.lifecycle.SystemdNotifier;
import io.maintd.proxy.TrafficCounters;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The {@code STATUS=} line {@code systemctl status} shows: mode, traffic counts and config
 * generation. Sent when it changes, polled on a timer so the request path never notifies.
 */
public final class StatusLine implements Runnable, AutoCloseable {
    private final ModeSource modes;
    private final TrafficCounters counters;
    private final LongSupplier generation;
    private final SystemdNotifier notifier;
    private String lastSent = "";
    private EventExecutor loop;
    private long everyNanos;
    private volatile ScheduledFuture<?> next;
    private volatile boolean stopped;

    public StatusLine(ModeSource modes, TrafficCounters counters, LongSupplier generation, SystemdNotifier notifier) {
        this.modes = modes;
        this.counters = counters;
        this.generation = generation;
        this.notifier = notifier;
    }

    public String text() {
        return modes.mode().word() + (modes.shuttingDown() ? " (stopping)" : "")
                + "; " + counters.inFlight() + " in flight, " + counters.openConnections() + " connections, "
                + counters.requests() + " requests; config generation " + generation.getAsLong();
    }

    /**
     * Checks the line now and then every {@code every} on {@code loop}. Each run schedules the
     * next one before it does anything: a fixed-rate task is cancelled for good by its first
     * exception, and reading the flags of a file another process just truncated raises an
     * InternalError asynchronously, possibly after the run itself returned.
     */
    public StatusLine start(EventExecutor loop, Duration every) {
        this.loop = loop;
        this.everyNanos = every.toNanos();
        next = loop.schedule(this, 0, TimeUnit.NANOSECONDS);
        return this;
    }

    /** Sends the line if it differs from the last one sent; runs on one timer thread. */
    @Override
    public synchronized void run() {
        if (stopped) {
            return;
        }
        if (loop != null) {
            next = loop.schedule(this, everyNanos, TimeUnit.NANOSECONDS);
        }
        String now = text();
        if (!now.equals(lastSent)) {
            notifier.status(now);
            lastSent = now;
        }
    }

    @Override
    public void close() {
        stopped = true;
        ScheduledFuture<?> pending = next;
        if (pending != null) {
            pending.cancel(false);
        }
    }
}
