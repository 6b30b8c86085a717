package io.maintd.notice;

import io.maintd.flagfile.Mode;
import io.maintd.net.ThrottledLog;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who probed this instance's state, and what each was told last: per peer address and per port
 * (the HAProxy agent check and {@code /healthz} are two balancers' worth of asking, even from
 * one address), the time of the last answer and the mode it carried. Written by the agent and
 * admin event loops on every probe (one map put), read by the {@link NoticeTracker} each tick.
 *
 * <p>Bounded: at most {@value #MAX_PEERS} peers. When full, a new peer is not recorded (logged
 * at most once a second) rather than evicting one: evicting could drop the real balancer's record
 * under a flood of probes from other addresses and make "noticed" true while the balancer has not
 * been told. Not recording a newcomer can only keep "noticed" false longer. Peers silent for a
 * whole window are dropped each tick.
 */
public final class ProbeLog {
    static final int MAX_PEERS = 1024;
    private static final System.Logger LOG = System.getLogger(ProbeLog.class.getName());

    /** Which port was probed. */
    public enum Via {
        AGENT("agent"), HEALTHZ("healthz");

        private final String label;

        Via(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The last answer given to one peer on one port. */
    public record Probe(Via via, InetAddress address, long answeredAtMillis, Mode answered) {
    }

    private record Peer(Via via, InetAddress address) {
    }

    private final ConcurrentHashMap<Peer, Probe> last = new ConcurrentHashMap<>();
    private final ThrottledLog full = new ThrottledLog(LOG, System.Logger.Level.WARNING);

    /** Records that {@code address} was answered {@code mode} on {@code via} at {@code nowMillis}. */
    public void answered(Via via, InetAddress address, Mode mode, long nowMillis) {
        Peer peer = new Peer(via, address);
        Probe probe = new Probe(via, address, nowMillis, mode);
        if (last.size() >= MAX_PEERS && !last.containsKey(peer)) {
            full.log(() -> "probes: " + MAX_PEERS + " peers already probe this instance; not tracking "
                    + address.getHostAddress() + " (" + via.label() + ") until some fall silent");
            return;
        }
        last.put(peer, probe);
    }

    /** The peers answered at or after {@code sinceMillis}; older ones are forgotten. */
    public List<Probe> since(long sinceMillis) {
        List<Probe> recent = new ArrayList<>();
        last.values().removeIf(probe -> probe.answeredAtMillis() < sinceMillis);
        for (Probe probe : last.values()) {
            if (probe.answeredAtMillis() >= sinceMillis) {
                recent.add(probe);
            }
        }
        return recent;
    }
}
