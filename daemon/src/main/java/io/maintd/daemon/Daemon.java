package io.maintd.daemon;

import io.maintd.admin.AdminConsole;
import io.maintd.admin.AdminRoutes;
import io.maintd.admin.AdminServer;
import io.maintd.admin.HealthEndpoint;
import io.maintd.admin.StatusEndpoint;
import io.maintd.agent.AgentCheckServer;
import io.maintd.config.MaintdConfig;
import io.maintd.flagfile.DaemonLock;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagFileLayout;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagWriter;
import io.maintd.fleetsync.FleetSync;
import io.maintd.health.BackendCounters;
import io.maintd.health.BackendHealth;
import io.maintd.lifecycle.EventLoopResponsiveness;
import io.maintd.lifecycle.ModeSource;
import io.maintd.lifecycle.SignalHandlers;
import io.maintd.lifecycle.SystemdNotifier;
import io.maintd.lifecycle.Watchdog;
import io.maintd.log.AccessLog;
import io.maintd.log.LogLineFormat;
import io.maintd.flagfile.StandardFlags;
import io.maintd.net.SocketActivation;
import io.maintd.net.Transport;
import io.maintd.notice.NoticeTracker;
import io.maintd.notice.ProbeLog;
import io.maintd.proxy.FileDescriptorBudget;
import io.maintd.proxy.ServingConfig;
import io.maintd.proxy.ProxyServer;
import io.maintd.proxy.RequestObserver;
import io.maintd.proxy.TrafficCounters;
import io.maintd.rules.RuleCompiler;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A running maintd: the flag file claimed (created and given its standard flags if need be),
 * its monitor ticking (heartbeat, live counters into the flag file, expiries, flip log), the
 * backend health checks, the proxy, the admin server and the agent check on one set of event loops, listening on sockets
 * systemd passed in or bound here, and systemd told about it (READY, STATUS, WATCHDOG). Every
 * command that serves traffic (demo, and the config-file run) starts one of these and then
 * calls {@link #serveUntilStopped()}.
 */
public final class Daemon implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Daemon.class.getName());
    private static final long STATUS_SECONDS = 2;

    private final Deque<AutoCloseable> started;
    private final ProxyServer proxy;
    private final AdminServer admin;
    private final DaemonObservability observability;
    private final DrainSequence drain;
    private final SignalHandlers signals;

    private Daemon(Deque<AutoCloseable> started, ProxyServer proxy, AdminServer admin,
                   DaemonObservability observability, DrainSequence drain,
                   SignalHandlers signals) {
        this.started = started;
        this.proxy = proxy;
        this.admin = admin;
        this.observability = observability;
        this.drain = drain;
        this.signals = signals;
    }

    /**
     * @throws io.maintd.flagfile.FlagFileException for the flag file, including DAEMON_RUNNING with the holder's pid
     * @throws io.maintd.net.ListenException        naming an address that cannot be bound or adopted
     * @throws io.maintd.page.PageLoadException     naming an unreadable maintenance page
     * @throws io.maintd.config.ConfigException     naming limits.max-connections when the descriptor limit cannot hold it
     * @throws IllegalArgumentException             naming a malformed LISTEN_FDS / WATCHDOG_USEC variable
     * @throws IllegalStateException                naming a NOTIFY_SOCKET that cannot be used, or a transport not available here
     */
    public static Daemon start(MaintdConfig config) {
        Map<String, String> env = System.getenv();
        Deque<AutoCloseable> started = new ArrayDeque<>();
        LogLineFormat.use(config.log().format());
        try {
            if (FlagFile.createIfMissing(config.flagsFile(), FlagFileLayout.DEFAULT_SLOT_COUNT, FlagFile.DEFAULT_MODE, null)) {
                LOG.log(System.Logger.Level.INFO, "created flag file " + config.flagsFile());
            }
            FlagFile file = FlagFile.openReadWrite(config.flagsFile());
            started.push(file);
            FlagWriter writer = file.writer();
            DaemonLock lock = writer.lockForDaemon();
            started.push(lock);
            StandardFlags standard = StandardFlags.defineMissing(writer);
            ModeSource modes = ModeSource.of(standard);
            FlagReader flags = writer.reader();
            SocketActivation listeners = SocketActivation.fromEnvironment();

            // One loop per CPU the JVM may use, as nginx runs a worker and HAProxy a thread per
            // core. Netty's default of two per core has two loops time-slice each core under load:
            // pinned to one CPU, two loops served about 30 % fewer requests at 256 connections
            // than one, relative to nginx in the same run (bench/RESULTS.md).
            EventLoopGroup group = Transport.select(config.transport()).newGroup(Runtime.getRuntime().availableProcessors(), "maintd");
            started.push(() -> group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly());
            BackendCounters backendCounters = new BackendCounters(writer);
            BackendHealth health = BackendHealth.create(group, backendCounters);
            started.push(health);
            // Planned before the rules compile: they may name the servers_up counters it defines.
            BackendHealth.Plan servers = health.plan(config);
            ServingConfig serving = ServingConfig.of(config, RuleCompiler.compile(config, flags), servers);
            servers.commit();
            SystemdNotifier notifier = SystemdNotifier.fromEnvironment(env, group);
            started.push(notifier);
            ProbeLog probes = new ProbeLog();
            DaemonObservability observability = new DaemonObservability(file, writer, lock, standard, health,
                    new NoticeTracker(modes, probes, config.balancersWindow()::toMillis, System.currentTimeMillis()));
            observability.publishAlso(backendCounters::publishTo);
            observability.start(group.next());
            started.push(observability);
            TrafficCounters counters = observability.traffic();

            RequestObserver observer = counters;
            if (config.log().access() != null) {
                AccessLog accessLog = AccessLog.open(config.log().access(), config.log().format());
                started.push(accessLog);
                observability.countAccessLogDrops(accessLog);
                observer = accessLog.observing(counters);
            }
            ProxyServer proxy = ProxyServer.start(listeners, serving, group, observer, modes::closesConnections,
                    FileDescriptorBudget.ofThisProcess(), observability::schedule);
            started.push(proxy);
            observability.watch(proxy.connectionCap());
            ConfigGenerations generations = new ConfigGenerations(lock, standard.configGeneration, standard.configRejections);
            observability.countReloads(generations);
            ReloadController reload = new ReloadController(proxy, health, flags, notifier, System::getenv, generations);
            FleetSync fleet = null;
            if (config.fleet() != null) {
                fleet = FleetSync.start(config.fleet(), writer, group.next(), modes, counters);
                started.push(fleet);
                observability.addFlipListener(fleet::onFlip);
                observability.bind(fleet);
            }
            AdminRoutes routes = new AdminRoutes().add("/healthz", new HealthEndpoint(modes, health, probes));
            StatusEndpoint statusJson = observability.addEndpoints(routes, modes, reload::generation, config.flagsFile());
            ScheduledExecutorService adminIo = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "maintd-admin-io");
                thread.setDaemon(true);
                return thread;
            });
            started.push(adminIo::shutdownNow);
            AdminConsole.install(routes, statusJson, config.adminToken(), writer, config.flagsFile(), adminIo);
            FleetSync following = fleet;
            statusJson.with("fleet", () -> following == null ? "null" : following.status().toString());
            AdminServer admin = AdminServer.start(listeners, config.admin(), config.adminAllowedHosts(), group, routes);
            started.push(admin);
            observability.watch(admin.connectionCap());
            if (config.agent() != null) {
                AgentCheckServer agent = AgentCheckServer.start(listeners, group, config.agent(), modes, health, probes);
                started.push(agent);
                observability.watch(agent.connectionCap());
            }
            listeners.unclaimed().forEach(socket -> LOG.log(System.Logger.Level.WARNING,
                    "inherited fd " + socket.fd() + " (" + socket.name() + ") matches no listener; nothing serves it"));

            started.push(new StatusLine(modes, counters, reload::generation, notifier)
                    .start(group.next(), Duration.ofSeconds(STATUS_SECONDS)));
            Watchdog.pingInterval(env, ProcessHandle.current().pid()).ifPresent(every -> {
                BooleanSupplier loops = new EventLoopResponsiveness(group);
                BooleanSupplier monitor = observability.monitorTicking(every);
                // Both are asked every time (no short-circuit): the loop check hands out its next probe.
                started.push(Watchdog.start(notifier, every, () -> loops.getAsBoolean() & monitor.getAsBoolean(), group.next()));
            });
            DrainSequence drain = new DrainSequence(modes, notifier, proxy, counters, () -> proxy.serving().config().drain());

            // Installed before READY and the "running" line, so a signal sent on either is never
            // met by the JVM's default handler (which would exit 143 without draining).
            SignalHandlers signals = SignalHandlers.install(ExitCode.FORCED.code, reload::reload);
            notifier.ready();
            LOG.log(System.Logger.Level.INFO, "maintd running as pid " + ProcessHandle.current().pid()
                    + " on flag file " + config.flagsFile());
            return new Daemon(started, proxy, admin, observability, drain, signals);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    /**
     * Serves until SIGTERM or SIGINT (reloading on SIGHUP, from {@link #start} on), then drains and closes everything.
     * A second stop signal during the drain ends the process at once with {@link ExitCode#FORCED}.
     */
    public ExitCode serveUntilStopped() {
        try {
            drain.run(signals.awaitStop());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        LOG.log(System.Logger.Level.INFO, "exit " + ExitCode.OK.code);
        return ExitCode.OK;
    }

    public InetSocketAddress proxyAddress() {
        return proxy.address();
    }

    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    public TrafficCounters counters() {
        return observability.traffic();
    }

    /** Stops listening, stops the event loops, releases the daemon lock (clearing the pid), closes the file. */
    @Override
    public void close() {
        closeAll(started);
        LOG.log(System.Logger.Level.INFO, "maintd stopped after " + counters().requests() + " requests");
    }

    private static void closeAll(Deque<AutoCloseable> started) {
        AutoCloseable next;
        while ((next = started.poll()) != null) {
            try {
                next.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "while stopping: " + e);
            }
        }
    }
}
