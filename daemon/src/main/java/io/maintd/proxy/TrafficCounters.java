package io.maintd.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live traffic counts: open connections, in-flight requests, and finished requests by route
 * and by status class. Counters only grow (the gauges go up and down), and they outlive
 * config reloads because the server keeps one instance for its life.
 */
public final class TrafficCounters implements RequestObserver {
    private final LongAdder connections = new LongAdder();
    private final LongAdder inFlight = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder[] byStatusClass = newAdders(6);
    private final Map<String, LongAdder> byRoute = new ConcurrentHashMap<>();

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
    public void onRequestEnd(String route, int status, long upstreamNanos) {
        inFlight.decrement();
        requests.increment();
        byStatusClass[Math.min(status / 100, 5)].increment();
        byRoute.computeIfAbsent(route, r -> new LongAdder()).increment();
    }

    public long openConnections() {
        return connections.sum();
    }

    public long inFlight() {
        return inFlight.sum();
    }

    public long requests() {
        return requests.sum();
    }

    /** Requests finished on the route ({@code backend}, {@code bypass}, {@code maintenance}, {@code shed}, {@code error}). */
    public long requests(String route) {
        LongAdder adder = byRoute.get(route);
        return adder == null ? 0 : adder.sum();
    }

    /** @param statusClass 1..5 for 1xx..5xx (499, the client closing first, counts as 4xx) */
    public long requestsWithStatusClass(int statusClass) {
        return byStatusClass[statusClass].sum();
    }

    private static LongAdder[] newAdders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }
}
