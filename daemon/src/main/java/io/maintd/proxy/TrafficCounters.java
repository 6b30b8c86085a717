package io.maintd.proxy;

import io.maintd.load.LatencyWindow;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * The proxy's only bookkeeping: open connections, in-flight requests, finished requests by
 * route and status class, and refused requests by reason. Metrics read these same adders and the daemon publishes them into
 * the flag file, so nothing is counted twice. One instance lives as long as the process, so
 * counts survive flips and reloads. Counting a request indexes a preallocated adder: no map,
 * no allocation. Each upstream latency also goes into a {@link LatencyWindow} (one atomic
 * increment) for the {@code latency_p50_ms}/{@code latency_p99_ms} load facts.
 */
public final class TrafficCounters implements RequestObserver {
    /** Status classes 1xx..5xx; a 499 (client closed first) counts as 4xx. */
    public static final int STATUS_CLASSES = 5;

    private static final Route[] ROUTES = Route.values();
    private static final int REJECTIONS = RequestRejection.values().length;

    private final LongAdder connections = new LongAdder();
    private final LongAdder inFlight = new LongAdder();
    private final LongAdder[] finished = new LongAdder[ROUTES.length * STATUS_CLASSES];
    private final LongAdder[] rejected = new LongAdder[REJECTIONS];
    private final LongConsumer upstreamLatency;
    private final LatencyWindow upstreamWindow = new LatencyWindow();

    /** @param upstreamLatency told the time to each upstream response head, in nanoseconds */
    public TrafficCounters(LongConsumer upstreamLatency) {
        this.upstreamLatency = upstreamLatency;
        for (int i = 0; i < finished.length; i++) {
            finished[i] = new LongAdder();
        }
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = new LongAdder();
        }
    }

    @Override
    public void onConnectionOpened() {
        connections.increment();
    }

    @Override
    public void onConnectionClosed() {
        connections.decrement();
    }

    @Override
    public void onRequestStart() {
        inFlight.increment();
    }

    @Override
    public void onRequestEnd(Route route, int status, long upstreamNanos) {
        finished[route.ordinal() * STATUS_CLASSES + statusClassIndex(status)].increment();
        inFlight.decrement();
        if (upstreamNanos > 0) {
            upstreamWindow.record(upstreamNanos);
            upstreamLatency.accept(upstreamNanos);
        }
    }

    @Override
    public void onRequestRejected(RequestRejection why) {
        rejected[why.ordinal()].increment();
    }

    public long openConnections() {
        return connections.sum();
    }

    public long inFlight() {
        return inFlight.sum();
    }

    /** All requests finished since start. */
    public long requests() {
        long sum = 0;
        for (LongAdder adder : finished) {
            sum += adder.sum();
        }
        return sum;
    }

    public long requests(Route route) {
        long sum = 0;
        for (int c = 0; c < STATUS_CLASSES; c++) {
            sum += requests(route, c + 1);
        }
        return sum;
    }

    /** @param statusClass 1..5 for 1xx..5xx */
    public long requests(Route route, int statusClass) {
        return finished[route.ordinal() * STATUS_CLASSES + statusClass - 1].sum();
    }

    /** @param statusClass 1..5 for 1xx..5xx */
    public long requestsWithStatusClass(int statusClass) {
        long sum = 0;
        for (Route route : ROUTES) {
            sum += requests(route, statusClass);
        }
        return sum;
    }

    /** Requests refused for this reason since start. */
    public long rejected(RequestRejection why) {
        return rejected[why.ordinal()].sum();
    }

    /**
     * Error responses since start, as the {@code errors_ps} load fact counts them: 5xx from the
     * backend (directly or bypassing a rule) and every answer the proxy made as an error of its
     * own (502, 504, 400...). The 503s of {@code maint} and {@code shed} are not errors: they are
     * what an operator or a monitor asked for, and a shed monitor must not feed on its own 503s.
     */
    public long errors() {
        return requests(Route.BACKEND, 5) + requests(Route.BYPASS, 5) + requests(Route.ERROR);
    }

    /** The upstream latencies of the last 10 s; the monitor advances it and reads percentiles. */
    public LatencyWindow upstreamWindow() {
        return upstreamWindow;
    }

    private static int statusClassIndex(int status) {
        return Math.min(Math.max(status / 100, 1), STATUS_CLASSES) - 1;
    }
}
