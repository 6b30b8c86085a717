package io.maintd.health;

import io.maintd.config.MaintdConfig.CheckConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one server's checks on the health loop: one check at a time, the next one scheduled
 * when the last one ended, every {@code interval} normally and on the probe schedule while
 * the server is down from a refusal. Everything here runs on that loop; other threads reach
 * it only through {@link EventLoop#execute}.
 */
final class ServerChecker {
    private static final System.Logger LOG = System.getLogger(ServerChecker.class.getName());

    private final EventLoop loop;
    private final Bootstrap base;
    private final Consumer<ServerHealth.Change> changes;
    private final ServerHealth health;

    /** Null when active checks are off: then only a refused server is probed, until it is back. */
    private CheckConfig check;
    private Probe probe;
    private long probeCapNanos;
    private ScheduledFuture<?> next;
    private boolean checking;
    private boolean stopped;
    /** Moves on every refusal: a check that began before one cannot undo it. */
    private long epoch;

    ServerChecker(String backend, InetSocketAddress address, EventLoop loop, Bootstrap base,
                  Consumer<ServerHealth.Change> changes) {
        this.loop = loop;
        this.base = base;
        this.changes = changes;
        this.health = new ServerHealth(backend, address, System.currentTimeMillis(),
                why -> loop.execute(() -> refused(why)));
    }

    ServerHealth health() {
        return health;
    }

    /**
     * New settings (at start and at each reload), on the loop. A server without a check
     * pending gets its first one after {@code firstDelayNanos}; a pending check that the new
     * interval would run sooner is moved up. A probe schedule in progress goes on.
     *
     * @param retryBackoff the longest wait between probes of a server down from a refusal
     */
    void configure(CheckConfig check, Duration retryBackoff, long firstDelayNanos) {
        this.check = check;
        this.probe = Probe.of(check, base);
        long cap = TimeUnit.NANOSECONDS.convert(retryBackoff); // saturates: retry-backoff has no upper bound
        this.probeCapNanos = Math.max(ServerHealth.FIRST_PROBE_NANOS,
                check == null ? cap : Math.min(cap, check.interval().toNanos()));
        if (stopped || checking || health.probing()) {
            return;
        }
        if (next != null && (check == null || next.getDelay(TimeUnit.NANOSECONDS) > check.interval().toNanos())) {
            next.cancel(false);
            next = null;
        }
        if (next == null && check != null) {
            schedule(Math.min(firstDelayNanos, check.interval().toNanos()));
        }
    }

    void stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    private void refused(String why) {
        if (stopped) {
            return;
        }
        epoch++;
        ServerHealth.Change change = health.refused(why, System.nanoTime(), System.currentTimeMillis());
        if (change == null) {
            return;
        }
        report(change);
        // The regular check may be far off; the first probe is due now.
        if (next != null) {
            next.cancel(false);
            next = null;
        }
        if (!checking) {
            schedule(health.takeProbeDelay(probeCapNanos));
        }
    }

    private void schedule(long delayNanos) {
        next = loop.schedule(this::run, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void run() {
        next = null;
        if (stopped) {
            return;
        }
        checking = true;
        long begun = epoch;
        long timeoutMillis = check == null ? probeCapNanos / 1_000_000 : check.interval().toMillis();
        try {
            probe.run(health.address(), Math.max(1, timeoutMillis), failure -> finished(begun, failure));
        } catch (RuntimeException e) {
            finished(begun, "check could not start: " + ProbeFailure.describe(e));
        }
    }

    private void finished(long begun, String failure) {
        checking = false;
        if (stopped) {
            return;
        }
        if (begun == epoch) {
            long nowMillis = System.currentTimeMillis();
            int rise = check == null ? 1 : check.rise();
            int fall = check == null ? 1 : check.fall();
            report(failure == null ? health.checkPassed(nowMillis, rise)
                    : health.checkFailed(failure, System.nanoTime(), nowMillis, fall));
        }
        long delay = nextDelayNanos();
        if (delay >= 0 && next == null) {
            schedule(delay);
        }
    }

    /** Nanoseconds to the next check, or -1 when none is due (checks off and the server up). */
    private long nextDelayNanos() {
        if (health.probing()) {
            return health.takeProbeDelay(probeCapNanos);
        }
        return check == null ? -1 : check.interval().toNanos();
    }

    private void report(ServerHealth.Change change) {
        if (change == null) {
            return;
        }
        try {
            changes.accept(change);
        } catch (RuntimeException | InternalError e) {
            // The schedule must outlive whatever a listener does (a flag file gone bad, say).
            LOG.log(System.Logger.Level.ERROR, "reporting " + change.server().label() + " of backend "
                    + change.server().backend() + " failed: " + e);
        }
    }
}
