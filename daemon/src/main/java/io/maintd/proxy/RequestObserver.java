package io.maintd.proxy;

/**
 * The one place where the proxy reports what it did: connections opened and closed, and each
 * request's start and its end with the route it took and the status the client got. Called on
 * event loop threads, so implementations must be cheap and thread-safe.
 */
public interface RequestObserver {
    /** Status recorded when the client went away before its response was complete (as nginx's 499). */
    int CLIENT_CLOSED = 499;

    void onConnectionOpened();

    void onConnectionClosed();

    void onRequestStart();

    /**
     * @param route         {@link Route#ERROR} when the proxy answered with an error of its own
     * @param status        the status sent to the client, or {@link #CLIENT_CLOSED}
     * @param upstreamNanos time from sending the request upstream to its response head; 0 when
     *                      no response head came from upstream
     */
    void onRequestEnd(Route route, int status, long upstreamNanos);

    /** The proxy refused the request (or stopped forwarding its body); its end is reported as usual. */
    void onRequestRejected(RequestRejection why);

    /**
     * The finished request in full, right after {@link #onRequestEnd}: what the access log writes.
     * The default does nothing, so a counting observer stays allocation-free.
     */
    default void onRequestLogged(FinishedRequest request) {
    }
}
