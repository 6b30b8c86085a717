package io.maintd.metrics;

import io.maintd.json.JsonObject;
import io.maintd.proxy.TrafficCounters;

/**
 * The last {@value #SAMPLES} seconds of in-flight requests, open connections and requests per
 * second, one sample a second, for the admin page's chart: an operator opening the page during a
 * drain sees the curve going to 0, not only the points from then on. Sampled on one thread,
 * read by the admin port's; a few hundred longs under a lock taken once a second and once per
 * page poll.
 */
public final class TrafficHistory {
    /** Five minutes: long enough to watch a drain, short enough to send every second. */
    public static final int SAMPLES = 300;

    private final TrafficCounters traffic;
    private final long[] inflight = new long[SAMPLES];
    private final long[] conns = new long[SAMPLES];
    private final long[] perSecond = new long[SAMPLES];
    private int next;
    private int count;
    private long lastRequests = -1;
    private long lastAt;

    public TrafficHistory(TrafficCounters traffic) {
        this.traffic = traffic;
    }

    /** Takes one sample at wall-clock {@code nowMillis}; the rate is over the time since the previous sample. */
    public synchronized void sample(long nowMillis) {
        long requests = traffic.requests();
        long rate = 0;
        if (lastRequests >= 0 && nowMillis > lastAt) {
            rate = Math.round((requests - lastRequests) * 1000.0 / (nowMillis - lastAt));
        }
        lastRequests = requests;
        lastAt = nowMillis;
        inflight[next] = traffic.inFlight();
        conns[next] = traffic.openConnections();
        perSecond[next] = rate;
        next = (next + 1) % SAMPLES;
        count = Math.min(count + 1, SAMPLES);
    }

    /** Requests per second over the last sampled second; 0 before two samples. */
    public synchronized long requestsPerSecond() {
        return count == 0 ? 0 : perSecond[(next - 1 + SAMPLES) % SAMPLES];
    }

    /** Oldest first, one value a second up to {@code last_at}: {@code {"interval_ms":1000,"last_at":...,"inflight":[...],"conns":[...],"rps":[...]}}. */
    public synchronized JsonObject json() {
        StringBuilder in = new StringBuilder("[");
        StringBuilder open = new StringBuilder("[");
        StringBuilder rates = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            int slot = (next - count + i + SAMPLES) % SAMPLES;
            String comma = i == 0 ? "" : ",";
            in.append(comma).append(inflight[slot]);
            open.append(comma).append(conns[slot]);
            rates.append(comma).append(perSecond[slot]);
        }
        return new JsonObject().put("interval_ms", 1000)
                .putTime("last_at", lastAt)
                .raw("inflight", in.append(']').toString())
                .raw("conns", open.append(']').toString())
                .raw("rps", rates.append(']').toString());
    }
}
