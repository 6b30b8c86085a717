package io.maintd.daemon;

import io.maintd.config.MaintdConfig.DrainConfig;
import io.maintd.lifecycle.ModeSource;
import io.maintd.lifecycle.SystemdNotifier;
import io.maintd.proxy.ProxyServer;
import io.maintd.proxy.TrafficCounters;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A graceful stop, phase by phase, each logged with the counts at that moment:
 * <ol>
 *   <li>advertise drain: {@link ModeSource#beginShutdown()} turns /healthz to 503 and the agent
 *       to {@code drain}, responses start carrying {@code Connection: close}, and systemd hears
 *       {@code STOPPING=1};
 *   <li>wait the lead time, so load balancers notice before connections are refused;
 *   <li>stop accepting (close the proxy's listener);
 *   <li>wait until no request is in flight, every connection accepted has had an answer and
 *       every answer has been sent, at most the drain timeout. A request counts as in flight only
 *       once its head is decoded, so a connection accepted just before the listener closed, whose
 *       request is still on its way, would otherwise be closed unanswered; under socket
 *       activation that connection came from the queue the next process would have served. And
 *       it stops counting when its last bytes are handed to the connection, before a slow
 *       reader has taken them.
 * </ol>
 * Closing the connections that are left (idle keep-alive ones, or requests the timeout cut
 * short) is the caller's next step: stopping the event loops closes them all.
 */
public final class DrainSequence {
    private static final System.Logger LOG = System.getLogger(DrainSequence.class.getName());
    /** In-flight work is polled: the drain is rare and short, and a poll keeps the request path free of hooks. */
    private static final long POLL_MILLIS = 20;

    private final ModeSource modes;
    private final SystemdNotifier notifier;
    private final ProxyServer proxy;
    private final TrafficCounters counters;
    private final Supplier<DrainConfig> timings;

    /** @param timings read when the drain starts, so a reload's drain settings apply */
    public DrainSequence(ModeSource modes, SystemdNotifier notifier, ProxyServer proxy, TrafficCounters counters,
                         Supplier<DrainConfig> timings) {
        this.modes = modes;
        this.notifier = notifier;
        this.proxy = proxy;
        this.counters = counters;
        this.timings = timings;
    }

    /** @return true when every in-flight request finished, false when the timeout cut some short */
    public boolean run(String cause) throws InterruptedException {
        DrainConfig drain = timings.get();
        modes.beginShutdown();
        notifier.stopping();
        LOG.log(System.Logger.Level.INFO, "drain: started by " + cause + " (" + counts() + " lead-time="
                + seconds(drain.leadTime()) + " timeout=" + seconds(drain.timeout()) + ")");
        Thread.sleep(drain.leadTime().toMillis());
        proxy.stopAccepting().syncUninterruptibly();
        LOG.log(System.Logger.Level.INFO, "drain: stopped accepting (" + counts() + ")");
        long deadline = System.nanoTime() + drain.timeout().toNanos();
        while (!idle() && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS);
        }
        boolean finished = idle();
        if (finished) {
            LOG.log(System.Logger.Level.INFO, "drain: all requests finished (" + counts() + ")");
        } else {
            LOG.log(System.Logger.Level.WARNING, "drain: timeout after " + seconds(drain.timeout())
                    + ", cutting the rest (" + counts() + ")");
        }
        LOG.log(System.Logger.Level.INFO, "drain: closing " + counters.openConnections() + " remaining connections");
        return finished;
    }

    /** No request in flight, no connection still waiting for its first answer, no answer still being sent. */
    private boolean idle() {
        return counters.inFlight() <= 0 && proxy.unansweredConnections() == 0 && proxy.unsentResponseBytes() == 0;
    }

    private String counts() {
        return "inflight=" + counters.inFlight() + " unanswered=" + proxy.unansweredConnections()
                + " unsent=" + proxy.unsentResponseBytes() + " conns=" + counters.openConnections();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
