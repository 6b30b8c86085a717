package io.maintd.health;

import io.maintd.syntax.AddressSyntax;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One backend server's state, fed by two inputs as HAProxy's {@code check} plus
 * {@code observe layer4}: active check results, and connections a request found refused.
 *
 * <ul>
 *   <li>A server starts up, on probation: its first failed check takes it down (HAProxy starts
 *       a server at health {@code rise}, "up, but will fall at the first failure").</li>
 *   <li>After that, {@code fall} consecutive failed checks take it down and {@code rise}
 *       consecutive passed checks bring it back.</li>
 *   <li>A refused connection takes it down at once: nothing listens there, so more requests
 *       would only be refused too. It is then probed back, after 100 ms, 200 ms, 400 ms ...
 *       up to a cap, and comes back on the first probe that passes, so a restart of half a
 *       second costs about half a second. A refusal while it is down changes nothing but the
 *       time of its last failure: it does not push the next probe further.</li>
 * </ul>
 *
 * <p>Threads: every transition runs on the one health event loop, so state, log lines and
 * published counters change in one order. The request path reads {@link #isUp()} and
 * {@link #lastFailureNanos()} (volatile loads) and reports refusals with
 * {@link #connectRefused}, which hands them to that loop (or, while the server is down, only
 * stores the time: any thread may, the latest store is as good as any).
 */
public final class ServerHealth {
    /** The first probe after a refusal; each next one waits twice as long, up to the cap. */
    static final long FIRST_PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** A transition, reported once: to {@code up} or to down, with why. */
    public record Change(ServerHealth server, boolean up, String reason, long previousForMillis) {
    }

    private final String backend;
    private final InetSocketAddress address;
    private final String label;
    private final Consumer<String> refusals;

    private volatile boolean up = true;
    private volatile long lastFailureNanos;
    private volatile boolean failedEver;
    private volatile long sinceMillis;
    /** Why it is down, or the last failure while it was up; null before any failure. */
    private volatile String reason;

    // Health loop only.
    private boolean proven;
    private int passed;
    private int failed;
    private boolean downByRefusal;
    private long nextProbeNanos = FIRST_PROBE_NANOS;

    /** @param refusals takes a refusal's reason to the health loop */
    ServerHealth(String backend, InetSocketAddress address, long nowMillis, Consumer<String> refusals) {
        this.backend = backend;
        this.address = address;
        this.label = AddressSyntax.format(address);
        this.refusals = refusals;
        this.sinceMillis = nowMillis;
    }

    public String backend() {
        return backend;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** {@code host:port}, as logs and metric labels show it. */
    public String label() {
        return label;
    }

    public boolean isUp() {
        return up;
    }

    /** True once any check or request failed on it. */
    public boolean failedEver() {
        return failedEver;
    }

    /** {@link System#nanoTime()} of the last failure; meaningful only when {@link #failedEver()}. */
    public long lastFailureNanos() {
        return lastFailureNanos;
    }

    /** Wall-clock time of the last transition, or of its creation. */
    public long sinceMillis() {
        return sinceMillis;
    }

    /** Why it is down, or the last failure while up; null if it never failed. */
    public String reason() {
        return reason;
    }

    /**
     * From any thread: a request's connection to this server was refused. While the server is
     * already down that only moves the time of its last failure (so the next request tries the
     * server that failed longest ago), here and now: during an outage every request is refused,
     * and none of them may cost a trip to the health loop or change the probe schedule.
     */
    public void connectRefused(Throwable cause) {
        if (!up) {
            lastFailureNanos = System.nanoTime();
            return;
        }
        refusals.accept("request connect: " + ProbeFailure.describe(cause));
    }

    // ---- transitions, on the health loop ----

    Change checkPassed(long nowMillis, int rise) {
        proven = true;
        failed = 0;
        if (up) {
            return null;
        }
        passed++;
        if (!downByRefusal && passed < rise) {
            return null;
        }
        return change(true, downByRefusal ? "probe passed" : count(passed, "passed"), nowMillis);
    }

    Change checkFailed(String why, long nowNanos, long nowMillis, int fall) {
        noteFailure(why, nowNanos);
        boolean onProbation = !proven;
        proven = true;
        passed = 0;
        if (!up) {
            return null;
        }
        failed++;
        if (!onProbation && failed < fall) {
            return null;
        }
        return change(false, why + (onProbation ? " (first check)" : " (" + count(failed, "failed") + ")"), nowMillis);
    }

    Change refused(String why, long nowNanos, long nowMillis) {
        noteFailure(why, nowNanos);
        if (!up) {
            return null;
        }
        passed = 0;
        downByRefusal = true;
        nextProbeNanos = FIRST_PROBE_NANOS;
        return change(false, why, nowMillis);
    }

    /** Down because a connection was refused: probe on the growing schedule, not every interval. */
    boolean probing() {
        return !up && downByRefusal;
    }

    /** The wait before the next probe, and doubles the one after, up to {@code capNanos}. */
    long takeProbeDelay(long capNanos) {
        long delay = Math.min(nextProbeNanos, capNanos);
        nextProbeNanos = nextProbeNanos > capNanos / 2 ? capNanos : nextProbeNanos * 2;
        return delay;
    }

    private static String count(int checks, String outcome) {
        return checks == 1 ? "1 " + outcome + " check" : checks + " consecutive " + outcome + " checks";
    }

    private void noteFailure(String why, long nowNanos) {
        reason = why;
        lastFailureNanos = nowNanos;
        failedEver = true;
    }

    private Change change(boolean nowUp, String why, long nowMillis) {
        long previousFor = nowMillis - sinceMillis;
        up = nowUp;
        sinceMillis = nowMillis;
        passed = 0;
        failed = 0;
        if (nowUp) {
            downByRefusal = false;
        } else {
            reason = why;
        }
        return new Change(this, nowUp, why, previousFor);
    }
}
