package io.maintd.proxy;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The response timeout of one client connection: how long the relay waits for a response head
 * after the request was sent. Scheduling and cancelling a timer task per request costs an
 * allocation and two timer-queue operations; instead one task per connection stays scheduled and
 * a request only moves the deadline. When the task fires early (the deadline moved on) it
 * reschedules itself for the rest.
 */
final class ResponseTimer {
    private final EventExecutor executor;
    private final Runnable onExpiry;
    /** The connection's one timeout task, or null. */
    private ScheduledFuture<?> task;
    /** When the timeout expires ({@link System#nanoTime}); 0 while disarmed. */
    private long deadline;

    /** {@code onExpiry} runs on {@code executor} when an armed timeout expires. */
    ResponseTimer(EventExecutor executor, Runnable onExpiry) {
        this.executor = executor;
        this.onExpiry = onExpiry;
    }

    void arm(Duration timeout) {
        long timeoutNanos = timeout.toNanos();
        deadline = System.nanoTime() + timeoutNanos;
        if (task != null && task.getDelay(TimeUnit.NANOSECONDS) > timeoutNanos) {
            // A reload shortened the timeout: the pending task would fire too late.
            task.cancel(false);
            task = null;
        }
        if (task == null) {
            task = executor.schedule(this::fire, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    void disarm() {
        deadline = 0;
    }

    /** The connection closed: the task goes too. */
    void stop() {
        deadline = 0;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void fire() {
        task = null;
        if (deadline == 0) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            task = executor.schedule(this::fire, left, TimeUnit.NANOSECONDS);
            return;
        }
        deadline = 0;
        onExpiry.run();
    }
}
