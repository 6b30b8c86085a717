package io.maintd.metrics;

import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.monitor.Flip;
import io.maintd.monitor.FlipListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Everything maintd exports on {@code /metrics}. One instance lives as long as the process,
 * so counts survive flips and reloads. The per-request calls index preallocated counters:
 * no map lookup, no tag building, no allocation.
 */
public final class DaemonMetrics implements FlipListener {
    /** Route labels, as in {@link io.maintd.rules.Decision#routeLabel()} plus proxy-made errors. */
    public enum Route {
        BACKEND, BYPASS, MAINTENANCE, SHED, ERROR;

        final String label = name().toLowerCase(Locale.ROOT);

        public static Route ofLabel(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter[][] requests = new Counter[Route.values().length][STATUS_CLASSES.length];
    private final Timer upstreamLatency;
    private final MultiGauge flagValues;
    private final FlagReader flags;
    private final ConcurrentHashMap<String, Counter> flips = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> expiries = new ConcurrentHashMap<>();

    public DaemonMetrics(FlagReader flags, LongSupplier connections, LongSupplier inflight) {
        this.flags = flags;
        for (Route route : Route.values()) {
            for (int c = 0; c < STATUS_CLASSES.length; c++) {
                requests[route.ordinal()][c] = Counter.builder("maintd.requests")
                        .description("Requests answered, by route and status class")
                        .tags("route", route.label, "status", STATUS_CLASSES[c])
                        .register(registry);
            }
        }
        upstreamLatency = Timer.builder("maintd.upstream.latency")
                .description("Time from sending a request upstream to its response head")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        Gauge.builder("maintd.connections.active", connections::getAsLong)
                .description("Open client connections").register(registry);
        Gauge.builder("maintd.requests.inflight", inflight::getAsLong)
                .description("Requests received and not yet answered completely").register(registry);
        flagValues = MultiGauge.builder("maintd.flag.value")
                .description("Current value of each flag and counter in the flag file").register(registry);
    }

    /** A request finished on {@code route} with {@code status}. Called on event loops. */
    public void onResponse(Route route, int status) {
        int c = Math.min(Math.max(status / 100, 1), 5) - 1;
        requests[route.ordinal()][c].increment();
    }

    /** Time to the upstream's response head. Called on event loops. */
    public void onUpstreamLatency(long nanos) {
        upstreamLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onFlip(Flip flip) {
        flips.computeIfAbsent(flip.name(), name -> Counter.builder("maintd.flag.flips")
                .description("Observed changes of an operator flag").tag("flag", name).register(registry)).increment();
        if (flip.expired()) {
            expiries.computeIfAbsent(flip.name(), name -> Counter.builder("maintd.flag.expiries")
                    .description("Values reverted because their --for expired").tag("flag", name).register(registry))
                    .increment();
        }
    }

    /** The Prometheus text exposition; flag gauges are refreshed first, so new flags appear. */
    public String scrape() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (FlagSnapshot s : flags.list()) {
            rows.add(MultiGauge.Row.of(Tags.of("flag", s.name(), "kind", s.kind().label()), s.value()));
        }
        flagValues.register(rows, true);
        return registry.scrape();
    }

    /** The text format's content type, for the admin endpoint. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }
}
