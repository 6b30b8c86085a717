package io.maintd.monitor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Runs the flag monitor's tick every {@link FlagMonitor#TICK_MILLIS} on a thread of its own,
 * and keeps running it whatever a tick throws. A periodic task on an executor is cancelled for
 * good by its first exception; and a read of a truncated mapping raises an
 * {@link InternalError} <em>asynchronously</em>, at a later safepoint, possibly after the
 * statement that faulted. So the loop catches {@link Throwable} around everything it does,
 * including its sleep, logs the failure once (then a count per minute while it lasts) and goes
 * on. {@link #ticking(Duration)} tells the systemd watchdog whether ticks still complete.
 */
public final class MonitorThread implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FlagMonitor.class.getName());
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(FlagMonitor.TICK_MILLIS);
    private static final long REPEAT_REPORT_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final LongConsumer tick;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile long lastCompletedNanos = System.nanoTime();
    private long failuresInARow;
    private long failuresSinceReport;
    private long lastReportNanos;

    private MonitorThread(LongConsumer tick) {
        this.tick = tick;
        this.thread = new Thread(this::run, "maintd-flag-monitor");
        thread.setDaemon(true);
    }

    /** Starts ticking {@code tick} with the wall-clock time, the first tick now. */
    public static MonitorThread start(LongConsumer tick) {
        MonitorThread monitor = new MonitorThread(tick);
        monitor.thread.start();
        return monitor;
    }

    /**
     * A watchdog health check: true while a tick completed within {@code within}. A monitor that
     * is stuck or fails on every tick stops the heartbeat, the counters and the expiries; systemd
     * should restart it.
     */
    public BooleanSupplier ticking(Duration within) {
        long limit = within.toNanos();
        return () -> {
            long age = System.nanoTime() - lastCompletedNanos;
            if (age > limit) {
                LOG.log(System.Logger.Level.ERROR, "watchdog: the flag monitor completed no tick for "
                        + TimeUnit.NANOSECONDS.toMillis(age) + " ms");
                return false;
            }
            return true;
        };
    }

    private void run() {
        while (!stopped) {
            try {
                long next = System.nanoTime();
                while (!stopped) {
                    tick.accept(System.currentTimeMillis());
                    succeeded();
                    next += TICK_NANOS;
                    long wait = next - System.nanoTime();
                    if (wait < 0) {
                        next = System.nanoTime(); // late (a long tick or a pause): do not catch up with a burst
                    } else {
                        LockSupport.parkNanos(wait);
                    }
                }
            } catch (Throwable t) {
                failed(t);
                LockSupport.parkNanos(TICK_NANOS);
            }
        }
    }

    private void succeeded() {
        lastCompletedNanos = System.nanoTime();
        if (failuresInARow > 0) {
            LOG.log(System.Logger.Level.WARNING, "flag monitor: ticks complete again after " + failuresInARow + " failed");
            failuresInARow = 0;
            failuresSinceReport = 0;
        }
    }

    /** The first failure of a run is logged with its cause; then one line per minute counts the rest. */
    private void failed(Throwable t) {
        long now = System.nanoTime();
        failuresInARow++;
        if (failuresInARow == 1) {
            StackTraceElement[] at = t.getStackTrace();
            LOG.log(System.Logger.Level.ERROR, "flag monitor: tick failed, retrying every " + FlagMonitor.TICK_MILLIS
                    + " ms: " + t + (at.length > 0 ? " at " + at[0] : ""));
            lastReportNanos = now;
            return;
        }
        failuresSinceReport++;
        if (now - lastReportNanos >= REPEAT_REPORT_NANOS) {
            LOG.log(System.Logger.Level.ERROR, "flag monitor: " + failuresSinceReport + " more ticks failed in the last "
                    + TimeUnit.NANOSECONDS.toSeconds(now - lastReportNanos) + " s; the last: " + t);
            failuresSinceReport = 0;
            lastReportNanos = now;
        }
    }

    /** Stops after the current tick and waits for it. */
    @Override
    public void close() {
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
