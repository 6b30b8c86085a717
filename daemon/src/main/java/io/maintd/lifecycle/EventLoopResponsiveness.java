package io.maintd.lifecycle;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;

/**
 * A health check for the {@link Watchdog}: true when every event loop of a group ran the probe
 * task handed to it at the previous check. A loop stuck in a handler (or a dead lock) stops
 * answering, the watchdog stops pinging, and systemd restarts the daemon. Each check hands
 * out the next probe, so called every watchdog interval it means "every loop answered within
 * one interval". A stuck loop gets no further probes piled onto its queue.
 */
public final class EventLoopResponsiveness implements BooleanSupplier {
    private final List<EventExecutor> loops = new ArrayList<>();
    private final AtomicLongArray answered;
    private final long[] issued;

    public EventLoopResponsiveness(EventExecutorGroup group) {
        group.forEach(loops::add);
        answered = new AtomicLongArray(loops.size());
        issued = new long[loops.size()];
    }

    @Override
    public synchronized boolean getAsBoolean() {
        boolean allAnswered = true;
        for (int i = 0; i < loops.size(); i++) {
            if (answered.get(i) != issued[i]) {
                allAnswered = false;
                continue;
            }
            long probe = ++issued[i];
            int loop = i;
            loops.get(i).execute(() -> answered.set(loop, probe));
        }
        return allAnswered;
    }
}
