package io.maintd.lifecycle;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Pings systemd's watchdog ({@code WATCHDOG=1}) at half of {@code $WATCHDOG_USEC}, as
 * {@code sd_watchdog_enabled(3)} advises, but only while {@code healthy} says the daemon is
 * doing its work. A timer alone would prove only that a timer thread lives; gating it on a
 * health check lets systemd restart a daemon whose event loops are stuck
 * ({@link EventLoopResponsiveness} is that check).
 */
public final class Watchdog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Watchdog.class.getName());

    private final SystemdNotifier notifier;
    private final BooleanSupplier healthy;
    private final ScheduledFuture<?> timer;
    private boolean lastHealthy = true;

    private Watchdog(SystemdNotifier notifier, BooleanSupplier healthy, Duration every, ScheduledExecutorService executor) {
        this.notifier = notifier;
        this.healthy = healthy;
        this.timer = executor.scheduleAtFixedRate(this::tick, 0, every.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * How often to ping: half of {@code WATCHDOG_USEC}, or empty when systemd does not watch this
     * process ({@code WATCHDOG_USEC} unset, or {@code WATCHDOG_PID} set to another process).
     *
     * @throws IllegalArgumentException naming the variable when it is malformed
     */
    public static Optional<Duration> pingInterval(Map<String, String> env, long pid) {
        String usecText = env.get("WATCHDOG_USEC");
        if (usecText == null || usecText.isEmpty()) {
            return Optional.empty();
        }
        String watchedPid = env.get("WATCHDOG_PID");
        if (watchedPid != null && !watchedPid.isEmpty() && !watchedPid.equals(Long.toString(pid))) {
            return Optional.empty();
        }
        long usec;
        try {
            usec = Long.parseLong(usecText.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("WATCHDOG_USEC=" + usecText + " is not a number of microseconds");
        }
        if (usec <= 0) {
            throw new IllegalArgumentException("WATCHDOG_USEC=" + usecText + " must be positive");
        }
        return Optional.of(Duration.ofNanos(usec * 1_000 / 2));
    }

    /** Pings every {@code every} on {@code executor} while {@code healthy} holds, starting now. */
    public static Watchdog start(SystemdNotifier notifier, Duration every, BooleanSupplier healthy,
                                 ScheduledExecutorService executor) {
        return new Watchdog(notifier, healthy, every, executor);
    }

    private void tick() {
        boolean now;
        try {
            now = healthy.getAsBoolean();
        } catch (RuntimeException e) {
            // A health check that throws is a failed health check; the timer must keep running.
            LOG.log(System.Logger.Level.WARNING, "watchdog health check threw: {0}", e.toString());
            now = false;
        }
        if (now != lastHealthy) {
            LOG.log(now ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    now ? "watchdog: healthy again, pinging systemd" : "watchdog: health check failed, not pinging systemd");
            lastHealthy = now;
        }
        if (now) {
            notifier.watchdog();
        }
    }

    @Override
    public void close() {
        timer.cancel(false);
    }
}
