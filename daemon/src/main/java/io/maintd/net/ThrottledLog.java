package io.maintd.net;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * One log line per second at most for an event that can come by the thousand (a flood of
 * connections over the cap, a crowd of slow clients): the first event of each second is logged
 * in full, the others are counted and the next line says how many it stands for. Thread-safe;
 * an event that is not logged costs one clock read and one adder increment.
 */
public final class ThrottledLog {
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final System.Logger log;
    private final System.Logger.Level level;
    private final AtomicLong nextLine = new AtomicLong(System.nanoTime());
    private final LongAdder unlogged = new LongAdder();

    public ThrottledLog(System.Logger log, System.Logger.Level level) {
        this.log = log;
        this.level = level;
    }

    /** Logs {@code message} unless a line went out less than a second ago; then only counts it. */
    public void log(Supplier<String> message) {
        long now = System.nanoTime();
        long next = nextLine.get();
        if (now - next >= 0 && nextLine.compareAndSet(next, now + INTERVAL_NANOS)) {
            long more = unlogged.sumThenReset();
            log.log(level, more == 0 ? message.get() : message.get() + " (and " + more + " more since the last such line)");
        } else {
            unlogged.increment();
        }
    }
}
