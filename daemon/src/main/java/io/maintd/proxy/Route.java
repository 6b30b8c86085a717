package io.maintd.proxy;

import io.maintd.rules.Decision;
import java.util.Locale;

/**
 * What the proxy did with a request, as metrics label it: the rules' decision, or
 * {@link #ERROR} when the proxy answered with an error of its own (bad request, backend down).
 * An enum rather than {@link Decision#routeLabel()} so counting a request indexes an array
 * instead of building a string.
 */
public enum Route {
    BACKEND, BYPASS, MAINTENANCE, SHED, ERROR,
    /** {@code /.well-known/maintenance}, answered by the proxy itself when {@code maintenance.well-known} is on. */
    WELL_KNOWN;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** {@code backend}, {@code bypass}, {@code maintenance}, {@code shed}, {@code error} or {@code well_known}. */
    public String label() {
        return label;
    }

    static Route of(Decision decision) {
        return switch (decision.action()) {
            case BACKEND -> decision.bypassed() ? BYPASS : BACKEND;
            case MAINTENANCE -> MAINTENANCE;
            case SHED -> SHED;
        };
    }
}
