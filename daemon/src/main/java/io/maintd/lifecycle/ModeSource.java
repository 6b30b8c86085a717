package io.maintd.lifecycle;

import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.Mode;
import io.maintd.flagfile.StandardFlags;

/**
 * The instance's {@link Mode} and weight, computed from the operator's flags on every call by
 * the flag file's rule ({@link Mode#of}). Reads are acquire loads through handles resolved
 * once, so the request path and the agent-check responder may call this per request with no
 * lookup, lock or allocation. A deleted flag reads as absent
 * (0: not maint, not drain) until it is created again; the daemon's monitor re-binds the
 * handles to the new slot within a tick.
 *
 * <p>Shutdown adds a second input: on SIGTERM the daemon must advertise drain at once, but it
 * must not write the operator's {@code drain} flag (that would outlive the process and keep
 * the next instance out of the pool). {@link #beginShutdown()} raises the mode to at least
 * drain for the rest of this process's life instead.
 */
public final class ModeSource {
    private final FlagHandle maint;
    private final FlagHandle drain;
    private final FlagHandle weight;
    private volatile boolean shuttingDown;

    public ModeSource(FlagHandle maint, FlagHandle drain, FlagHandle weight) {
        this.maint = maint;
        this.drain = drain;
        this.weight = weight;
    }

    /** Reads the {@code maint}, {@code drain} and {@code weight} handles {@link StandardFlags} resolved. */
    public static ModeSource of(StandardFlags flags) {
        return new ModeSource(flags.maint, flags.drain, flags.weight);
    }

    public Mode mode() {
        Mode fromFlags = Mode.of(maint.get(), drain.get());
        return shuttingDown ? fromFlags.atLeast(Mode.DRAIN) : fromFlags;
    }

    /**
     * The flag that makes the mode what it is: {@code maint} when above 0, else {@code drain} when
     * above 0, else null (ready, or a shutdown's drain with neither flag set).
     */
    public FlagHandle decidingFlag() {
        return maint.get() > 0 ? maint : drain.get() > 0 ? drain : null;
    }

    /**
     * True while responses should carry {@code Connection: close} so keep-alive clients move to
     * another instance: the operator's {@code drain} flag is set, or this process is shutting down.
     * Maint alone does not close: its clients get the page and may as well keep the connection.
     */
    public boolean closesConnections() {
        return shuttingDown || drain.get() > 0;
    }

    /**
     * The {@code weight} flag clamped to 0..100, the range an agent-check percentage may take
     * here; 100 while the flag does not exist, as when the daemon first defines it.
     */
    public int weightPercent() {
        long value = weight.getOr(StandardFlags.FULL_WEIGHT);
        return (int) Math.max(0, Math.min(StandardFlags.FULL_WEIGHT, value));
    }

    /** From now on the mode is at least {@link Mode#DRAIN}; there is no way back for this process. */
    public void beginShutdown() {
        shuttingDown = true;
    }

    public boolean shuttingDown() {
        return shuttingDown;
    }
}
