package io.maintd.flagfile;

/**
 * What the daemon publishes about the state it tells its load balancers, and whether they have
 * noticed it: three counters with fixed meanings, shared by the daemon (which publishes them) and
 * flagctl ({@code status}, {@code wait noticed}, {@code wait drained}), like the flag names of
 * Aeron's {@code AeronCounters}. Also the mode rule both apply to the {@code maint} and
 * {@code drain} flags.
 */
public final class ModeNotice {
    /** The mode the agent check and {@code /healthz} answer now: {@link #READY}, {@link #DRAIN} or {@link #MAINT}. */
    public static final String MODE = "mode";
    /**
     * {@link #NOTICED} once every balancer that probed within the window has been answered the
     * current mode at least once since it began; {@link #PENDING} until then (and at each change of
     * mode); {@link #NO_BALANCER} when nothing probed within the window, after the daemon has run
     * for a whole window.
     */
    public static final String NOTICED = "noticed";
    /** Peers (address and port kind) that probed the agent port or {@code /healthz} within the window. */
    public static final String BALANCERS = "balancers";

    public static final long READY = 0;
    public static final long DRAIN = 1;
    public static final long MAINT = 2;

    public static final long NOTICED_YES = 1;
    public static final long PENDING = 0;
    public static final long NO_BALANCER = -1;

    private ModeNotice() {
    }

    /** The mode rule: {@code maint > 0} is maint, else {@code drain > 0} is drain, else ready. */
    public static long modeOf(long maint, long drain) {
        return maint > 0 ? MAINT : drain > 0 ? DRAIN : READY;
    }

    /** {@code ready}, {@code drain} or {@code maint}, as HAProxy words them. */
    public static String word(long mode) {
        return mode == MAINT ? "maint" : mode == DRAIN ? "drain" : mode == READY ? "ready" : "unknown (" + mode + ")";
    }
}
