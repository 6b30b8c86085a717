package io.maintd.daemon;

import io.maintd.admin.AdminRoutes;
import io.maintd.admin.FlagsEndpoint;
import io.maintd.admin.MetricsEndpoint;
import io.maintd.admin.ModeReason;
import io.maintd.admin.StatusEndpoint;
import io.maintd.flagfile.DaemonLock;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagFileKeeper;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagWriter;
import io.maintd.json.JsonObject;
import io.maintd.health.BackendHealth;
import io.maintd.lifecycle.ModeSource;
import io.maintd.load.HostLoad;
import io.maintd.log.AccessLog;
import io.maintd.metrics.DaemonMetrics;
import io.maintd.metrics.TrafficHistory;
import io.maintd.monitor.DefinitionChange;
import io.maintd.monitor.FlagMonitor;
import io.maintd.monitor.Flip;
import io.maintd.monitor.FlipListener;
import io.maintd.monitor.LoadFacts;
import io.maintd.monitor.MonitorThread;
import io.maintd.flagfile.StandardFlags;
import io.maintd.net.ConnectionCap;
import io.maintd.notice.NoticeTracker;
import io.maintd.page.MaintenanceSchedule;
import io.maintd.proxy.TrafficCounters;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;

/**
 * What the daemon tells the outside world about itself, built once per process so counts
 * survive flips and reloads: the traffic counters the proxy reports to, the Prometheus
 * metrics over them, the flag monitor (heartbeat, counters into the flag file, expiries, flip
 * log) ticking every {@link FlagMonitor#TICK_MILLIS}, the traffic history the admin page charts,
 * and the admin endpoints that show it all.
 */
final class DaemonObservability implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FlagMonitor.class.getName());

    private final FlagReader flags;
    private final FlagFileKeeper keeper;
    private final BackendHealth health;
    private final DaemonMetrics metrics;
    private final FlagMonitor monitor;
    private final TrafficHistory history;
    private final List<FlipListener> flipListeners = new CopyOnWriteArrayList<>();
    private MonitorThread ticking;
    private ScheduledFuture<?> sampling;

    /** @param notice whether the balancers noticed the mode, published each tick */
    DaemonObservability(FlagFile file, FlagWriter writer, DaemonLock lock, StandardFlags standard,
                        BackendHealth health, NoticeTracker notice) {
        flags = writer.reader();
        keeper = FlagFileKeeper.of(file);
        this.health = health;
        metrics = new DaemonMetrics(flags, health::view);
        TrafficCounters traffic = metrics.traffic();
        monitor = new FlagMonitor(keeper, writer, lock, standard,
                new FlagMonitor.CounterSources(traffic::openConnections, traffic::inFlight, traffic::requests),
                new LoadFacts(standard, new LoadFacts.Sources(traffic::requests, traffic::errors, traffic.upstreamWindow(),
                        HostLoad.ofThisHost())),
                notice, new FlipListener() {
                    @Override
                    public void onFlip(Flip flip) {
                        LOG.log(System.Logger.Level.INFO, flip.describe());
                        metrics.onFlip(flip);
                        flipListeners.forEach(listener -> listener.onFlip(flip));
                    }

                    @Override
                    public void onDefinitionChange(DefinitionChange change) {
                        LOG.log(change.warns() ? System.Logger.Level.WARNING : System.Logger.Level.INFO, change.describe());
                    }
                });
        history = new TrafficHistory(traffic);
    }

    /** Counters another part keeps, written into the flag file on the monitor's tick. */
    void publishAlso(Consumer<ObjLongConsumer<FlagHandle>> counters) {
        monitor.publishAlso(counters);
    }

    /** The maint flag's windows as the monitor's last tick saw them. */
    MaintenanceSchedule schedule() {
        return monitor.schedule();
    }

    TrafficCounters traffic() {
        return metrics.traffic();
    }

    /** Puts the connections {@code cap} closes at accept into the metrics. */
    void watch(ConnectionCap cap) {
        metrics.watch(cap);
    }

    /**
     * Ticks on a thread of its own: the first tick here (so the counters and heartbeat are in
     * place before the daemon says READY), then every {@link FlagMonitor#TICK_MILLIS}. Samples
     * the traffic history once a second on {@code loop} (a few loads and stores under the
     * history's lock).
     */
    void start(EventExecutor loop) {
        monitor.tick(System.currentTimeMillis());
        ticking = MonitorThread.start(monitor::tick);
        sampling = loop.scheduleAtFixedRate(() -> history.sample(System.currentTimeMillis()), 0, 1, TimeUnit.SECONDS);
    }

    /** For the systemd watchdog: true while the monitor completed a tick within {@code within}. */
    BooleanSupplier monitorTicking(Duration within) {
        return ticking.ticking(within);
    }

    /** {@code maintd_config_reloads_total{result="applied|rejected"}}. */
    void countReloads(ConfigGenerations generations) {
        metrics.countReloads(generations, ConfigGenerations::applied, ConfigGenerations::rejected);
    }

    /** {@code maintd_access_log_dropped_total}. */
    void countAccessLogDrops(AccessLog accessLog) {
        metrics.countAccessLogDrops(accessLog, AccessLog::dropped);
    }

    /** Another part that wants every flip (the fleet mirror, to notice local overrides). */
    void addFlipListener(FlipListener listener) {
        flipListeners.add(listener);
    }

    /** Meters another part defines (the fleet's) on the one registry {@code /metrics} shows. */
    void bind(MeterBinder meters) {
        metrics.bind(meters);
    }

    /**
     * Adds {@code /metrics}, {@code /flags} and {@code /status} to {@code routes}; returns the status
     * endpoint, with the sections this part knows ({@code why}, {@code noticed}, {@code flags}, and
     * {@code history} on request), for the daemon to add more.
     */
    StatusEndpoint addEndpoints(AdminRoutes routes, ModeSource modes, LongSupplier configGeneration, Path flagsFile) {
        StatusEndpoint status = new StatusEndpoint(modes, metrics.traffic(), configGeneration, flagsFile, keeper::condition,
                health)
                .with("why", new ModeReason(modes, flags)::json)
                .with("requests_per_second", () -> Long.toString(history.requestsPerSecond()))
                .with("noticed", () -> monitor.lastNotice().json().toString())
                .with("flags", () -> FlagsEndpoint.json(flags))
                .with("windows", () -> FlagsEndpoint.windowsJson(flags))
                .onRequest("history", () -> history.json().toString());
        routes.add("/metrics", new MetricsEndpoint(metrics))
                .add("/flags", new FlagsEndpoint(flags))
                .add("/status", status);
        return status;
    }

    @Override
    public void close() {
        if (ticking != null) {
            ticking.close();
            sampling.cancel(false);
        }
    }
}
