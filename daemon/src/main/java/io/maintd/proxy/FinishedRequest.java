package io.maintd.proxy;

/**
 * A request the proxy has answered, as the access log sees it. Valid only during
 * {@link RequestObserver#onRequestLogged}, on the event loop: copy what you keep.
 */
public interface FinishedRequest {
    String clientIp();

    String method();

    /** The request target as the client sent it (path and query). */
    String target();

    /** The status sent, or {@link RequestObserver#CLIENT_CLOSED}. */
    int status();

    /** Response body bytes handed to the client. */
    long bodyBytes();

    /** Time to the upstream's response head; 0 when none came. */
    long upstreamNanos();

    Route route();

    /** The rule whose decision chose the route ({@code rules[0]}), or {@code -} for the proxy's own errors. */
    String rule();
}
