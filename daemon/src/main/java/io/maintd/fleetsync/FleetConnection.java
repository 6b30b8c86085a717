package io.maintd.fleetsync;

import io.maintd.fleet.Printable;
import java.net.URI;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * Whether the daemon is in touch with etcd, as {@code maintd_fleet_connected} and {@code /status}
 * show it, and the log lines for the changes: one when the connection is lost (not one per
 * retry), one when the watch is back. While lost, the flags keep their last values (fail-static).
 * Written on the fleet's loop, read from any thread.
 */
final class FleetConnection {
    private static final System.Logger LOG = System.getLogger(FleetConnection.class.getName());

    /**
     * @param sinceMillis when it last connected or was lost; 0 before either
     * @param problem     why it was lost, while it is; else null
     */
    record State(boolean connected, long sinceMillis, String problem) {
    }

    private final LongSupplier clock;
    private volatile State state = new State(false, 0, "not connected yet");
    /** True once the loss was logged, until the watch is back. */
    private boolean lossLogged;
    private boolean everConnected;

    FleetConnection(LongSupplier clock) {
        this.clock = clock;
    }

    boolean connected() {
        return state.connected();
    }

    State state() {
        return state;
    }

    /** Every watch of the stream is created: the host is in step from {@code revision} on. */
    void watching(URI endpoint, long revision) {
        state = new State(true, clock.getAsLong(), null);
        lossLogged = false;
        LOG.log(System.Logger.Level.INFO, "fleet: " + (everConnected ? "reconnected to " : "connected to ") + endpoint
                + ", watching from revision " + revision);
        everConnected = true;
    }

    void lost(Throwable cause) {
        String reason = reason(cause);
        State was = state;
        state = new State(false, was.connected() || was.sinceMillis() == 0 ? clock.getAsLong() : was.sinceMillis(), reason);
        if (!lossLogged) {
            lossLogged = true;
            LOG.log(System.Logger.Level.WARNING, "fleet: etcd unreachable (" + reason
                    + "); keeping the last values of the fleet's flags and retrying");
        }
    }

    void compacted(long compactRevision) {
        LOG.log(System.Logger.Level.INFO, "fleet: etcd compacted past the watch (to revision " + compactRevision
                + "); reading everything again");
    }

    /** A failure from a future, unwrapped to what actually went wrong, on one line. */
    static String reason(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return Printable.of(message != null ? message : cause.getClass().getSimpleName(), 500);
    }
}
