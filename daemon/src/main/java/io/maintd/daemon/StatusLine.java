package io.maintd.daemon;

import io.maintd.lifecycle.ModeSource;
import io.maintd.lifecycle.SystemdNotifier;
import io.maintd.proxy.TrafficCounters;
import java.util.function.LongSupplier;

/**
 * The {@code STATUS=} line {@code systemctl status} shows: mode, traffic counts and config
 * generation. Sent when it changes, polled on a timer so the request path never notifies.
 */
public final class StatusLine implements Runnable {
    private final ModeSource modes;
    private final TrafficCounters counters;
    private final LongSupplier generation;
    private final SystemdNotifier notifier;
    private String lastSent = "";

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

    /** Sends the line if it differs from the last one sent; runs on one timer thread. */
    @Override
    public synchronized void run() {
        String now = text();
        if (!now.equals(lastSent)) {
            notifier.status(now);
            lastSent = now;
        }
    }
}
