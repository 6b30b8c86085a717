package io.maintd.fleetsync;

import io.maintd.fleet.Printable;
import java.net.URI;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Whether the daemon is in touch with etcd, as {@code maintd_fleet_connected} shows it, and the
 * log lines for the changes: one when the connection is lost (not one per retry), one when the
 * watch is back. While lost, the flags keep their last values (fail-static).
 */
final class FleetConnection {
    private static final System.Logger LOG = System.getLogger(FleetConnection.class.getName());

    private volatile boolean connected;
    /** True once the loss was logged, until the watch is back. */
    private boolean lossLogged;
    private boolean everConnected;

    boolean connected() {
        return connected;
    }

    /** Every watch of the stream is created: the host is in step from {@code revision} on. */
    void watching(URI endpoint, long revision) {
        connected = true;
        lossLogged = false;
        LOG.log(System.Logger.Level.INFO, "fleet: " + (everConnected ? "reconnected to " : "connected to ") + endpoint
                + ", watching from revision " + revision);
        everConnected = true;
    }

    void lost(Throwable cause) {
        connected = false;
        if (!lossLogged) {
            lossLogged = true;
            LOG.log(System.Logger.Level.WARNING, "fleet: etcd unreachable (" + reason(cause)
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
