package io.maintd.health;

/**
 * Whether the backend that takes every request no other rule took can serve: what the agent
 * check and {@code /healthz} add to the mode. The default backend is the one named by the
 * catch-all rule (the last rule, without {@code if}, {@code match} or {@code unless}), as
 * HAProxy's {@code default_backend}; a config whose catch-all serves the maintenance page has
 * none, and is never down for this reason.
 */
@FunctionalInterface
public interface DefaultBackend {
    /** Null while at least one of its servers is up, else why none is: one printable ASCII line. */
    String downReason();
}
