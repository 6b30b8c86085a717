package io.maintd.rules;

/**
 * Where one request goes. Compiled rules hand out preallocated instances, so deciding a
 * request allocates nothing. The proxy turns it into its own {@code Route}, which
 * metrics and the access log label requests with.
 *
 * @param backend  the backend name for {@link Action#BACKEND}, else null
 * @param bypassed true when a maintenance rule matched but its {@code unless} let the request through
 */
public record Decision(Action action, String backend, boolean bypassed) {
    public enum Action {
        /** Proxy to the named backend. */
        BACKEND,
        /** Serve the maintenance page. */
        MAINTENANCE,
        /** Refuse with 503 + Retry-After to shed load. */
        SHED
    }

    /** The decision as one word, for a rule's description: backend, maintenance, shed or bypass. */
    public String routeLabel() {
        if (bypassed && action == Action.BACKEND) {
            return "bypass";
        }
        return action.name().toLowerCase(java.util.Locale.ROOT);
    }
}
