package io.maintd.metrics;

import io.maintd.build.BuildInfo;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.health.BackendHealth;
import io.maintd.health.ServerHealth;
import io.maintd.monitor.Flip;
import io.maintd.monitor.FlipListener;
import io.maintd.net.ConnectionCap;
import io.maintd.proxy.RequestRejection;
import io.maintd.proxy.Route;
import io.maintd.proxy.TrafficCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Everything maintd exports on {@code /metrics}. One instance lives as long as the process,
 * so counts survive flips and reloads. Request counts are not kept here: the meters read the
 * proxy's {@link TrafficCounters} at scrape time, so the request path increments one adder
 * and nothing else; only the upstream latency histogram is recorded per request.
 */
public final class DaemonMetrics implements FlipListener {
    private static final String[] STATUS_CLASS_LABELS = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TrafficCounters traffic;
    private final MultiGauge flagValues;
    private final MultiGauge backendUp;
    private final FlagReader flags;
    private final Supplier<List<BackendHealth.BackendView>> backends;
    private final ConcurrentHashMap<String, Counter> flips = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> expiries = new ConcurrentHashMap<>();

    /** @param backends the serving config's backends and their servers' health, read at scrape time */
    public DaemonMetrics(FlagReader flags, Supplier<List<BackendHealth.BackendView>> backends) {
        this.flags = flags;
        this.backends = backends;
        Timer upstreamLatency = Timer.builder("maintd.upstream.latency")
                .description("Time from sending a request upstream to its response head")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        traffic = new TrafficCounters(nanos -> upstreamLatency.record(nanos, TimeUnit.NANOSECONDS));
        for (Route route : Route.values()) {
            for (int c = 1; c <= TrafficCounters.STATUS_CLASSES; c++) {
                int statusClass = c;
                FunctionCounter.builder("maintd.requests", traffic, t -> t.requests(route, statusClass))
                        .description("Requests answered, by route and status class (499, client gone, is 4xx)")
                        .tags("route", route.label(), "status", STATUS_CLASS_LABELS[c - 1])
                        .register(registry);
            }
        }
        for (RequestRejection why : RequestRejection.values()) {
            FunctionCounter.builder("maintd.requests.rejected", traffic, t -> t.rejected(why))
                    .description("Requests the proxy refused to forward (or stopped forwarding), by reason")
                    .tags("reason", why.label())
                    .register(registry);
        }
        Gauge.builder("maintd.connections.active", traffic, TrafficCounters::openConnections)
                .description("Open client connections").register(registry);
        Gauge.builder("maintd.requests.inflight", traffic, TrafficCounters::inFlight)
                .description("Requests received and not yet answered completely").register(registry);
        Gauge.builder("maintd.build.info", () -> 1)
                .description("The running build: maintd version and commit, and the Java runtime's version")
                .tags("version", BuildInfo.version(), "commit", BuildInfo.commit(), "java", System.getProperty("java.version"))
                .register(registry);
        flagValues = MultiGauge.builder("maintd.flag.value")
                .description("Current value of each flag and counter in the flag file").register(registry);
        backendUp = MultiGauge.builder("maintd.backend.up")
                .description("1 while the backend server is up, 0 while it is down (checks or refused connections)")
                .register(registry);
    }

    /** Exports how many connections {@code cap} closed at accept, labelled with its listener. */
    public void watch(ConnectionCap cap) {
        FunctionCounter.builder("maintd.connections.rejected", cap, ConnectionCap::rejected)
                .description("Connections closed at accept because the listener's connection cap was reached")
                .tag("listener", cap.listener())
                .register(registry);
    }

    /**
     * Counts reloads by outcome, read from {@code source} at scrape time:
     * {@code maintd_config_reloads_total{result=...}}. Micrometer holds {@code source} weakly, so it
     * must be an object the daemon keeps (a method reference would be collected and read 0).
     */
    public <T> void countReloads(T source, ToLongFunction<T> applied, ToLongFunction<T> rejected) {
        String description = "Reloads (SIGHUP) by outcome: applied, or rejected with the old config still serving";
        FunctionCounter.builder("maintd.config.reloads", source, s -> applied.applyAsLong(s))
                .description(description).tag("result", "applied").register(registry);
        FunctionCounter.builder("maintd.config.reloads", source, s -> rejected.applyAsLong(s))
                .description(description).tag("result", "rejected").register(registry);
    }

    /** Access log lines dropped because the disk fell behind: {@code maintd_access_log_dropped_total}. */
    public <T> void countAccessLogDrops(T source, ToLongFunction<T> dropped) {
        FunctionCounter.builder("maintd.access.log.dropped", source, s -> dropped.applyAsLong(s))
                .description("Access log lines dropped because the writer fell behind (the queue was full)")
                .register(registry);
    }

    /** Registers meters another part defines, such as the fleet's. */
    public void bind(MeterBinder meters) {
        meters.bindTo(registry);
    }

    /** The counters the proxy reports to; hand this to the proxy server. */
    public TrafficCounters traffic() {
        return traffic;
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

    /** The Prometheus text exposition; flag and backend gauges are refreshed first, so new flags and servers appear. Synchronized: two admin connections may scrape at once. */
    public synchronized String scrape() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (FlagSnapshot s : flags.list()) {
            rows.add(MultiGauge.Row.of(Tags.of("flag", s.name(), "kind", s.kind().label()), s.value()));
        }
        flagValues.register(rows, true);
        // A map, not a list: a server listed twice in one backend is one series.
        Map<Tags, Integer> servers = new LinkedHashMap<>();
        for (BackendHealth.BackendView backend : backends.get()) {
            for (ServerHealth server : backend.servers()) {
                servers.put(Tags.of("backend", backend.name(), "server", server.label()), server.isUp() ? 1 : 0);
            }
        }
        List<MultiGauge.Row<?>> serverRows = new ArrayList<>();
        servers.forEach((tags, up) -> serverRows.add(MultiGauge.Row.of(tags, up)));
        backendUp.register(serverRows, true);
        return registry.scrape();
    }

    /** The text format's content type, for the admin endpoint. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }
}
