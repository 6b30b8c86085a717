package io.maintd.flagfile;

/**
 * What the daemon publishes about the state it tells its load balancers, and whether they have
 * noticed it: three counters with fixed meanings, shared by the daemon (which publishes them) and
 * flagctl ({@code status}, {@code wait noticed}, {@code wait drained}), like the flag names of
 * Aeron's {@code AeronCounters}. The {@code mode} counter holds a {@link Mode}'s ordinal.
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

    public static final long READY = Mode.READY.ordinal();
    public static final long DRAIN = Mode.DRAIN.ordinal();
    public static final long MAINT = Mode.MAINT.ordinal();

    public static final long NOTICED_YES = 1;
    public static final long PENDING = 0;
    public static final long NO_BALANCER = -1;

    private ModeNotice() {
    }

    /** What the {@code mode} counter holds for the flags' {@code maint} and {@code drain}: {@link Mode#of}. */
    public static long modeOf(long maint, long drain) {
        return Mode.of(maint, drain).ordinal();
    }

    /** {@code ready}, {@code drain} or {@code maint} ({@link Mode#word()}) for a {@code mode} counter's value. */
    public static String word(long mode) {
        return mode >= 0 && mode < Mode.values().length ? Mode.values()[(int) mode].word() : "unknown (" + mode + ")";
    }
}
