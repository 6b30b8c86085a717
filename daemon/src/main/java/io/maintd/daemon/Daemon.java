package io.maintd.daemon;

import io.maintd.admin.AdminRoutes;
import io.maintd.admin.AdminServer;
import io.maintd.admin.HealthEndpoint;
import io.maintd.admin.ModeReader;
import io.maintd.config.MaintdConfig;
import io.maintd.flagfile.DaemonLock;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagFileLayout;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagWriter;
import io.maintd.monitor.StandardFlags;
import io.maintd.proxy.LiveConfig;
import io.maintd.proxy.ProxyServer;
import io.maintd.proxy.TrafficCounters;
import io.maintd.proxy.Transport;
import io.maintd.rules.RuleCompiler;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * A running maintd: the flag file claimed (created and given its standard flags if need be),
 * its monitor ticking (heartbeat, live counters, expiries, flip log), the proxy and the admin server on one set of event loops. Every
 * command that serves traffic (demo, and the config-file run) starts one of these.
 */
public final class Daemon implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Daemon.class.getName());

    private final Deque<AutoCloseable> started;
    private final ProxyServer proxy;
    private final AdminServer admin;
    private final DaemonObservability observability;

    private Daemon(Deque<AutoCloseable> started, ProxyServer proxy, AdminServer admin,
                   DaemonObservability observability) {
        this.started = started;
        this.proxy = proxy;
        this.admin = admin;
        this.observability = observability;
    }

    /**
     * @throws io.maintd.flagfile.FlagFileException for the flag file, including DAEMON_RUNNING with the holder's pid
     * @throws io.maintd.proxy.ListenException      naming an address that cannot be bound
     * @throws io.maintd.page.PageLoadException     naming an unreadable maintenance page
     */
    public static Daemon start(MaintdConfig config) {
        Deque<AutoCloseable> started = new ArrayDeque<>();
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
            FlagReader flags = writer.reader();
            LiveConfig live = LiveConfig.of(config, RuleCompiler.compile(config, flags));

            Transport transport = Transport.detect();
            EventLoopGroup group = transport.newGroup(0, "maintd");
            started.push(() -> group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly());
            DaemonObservability observability = new DaemonObservability(writer, lock, standard);
            observability.start(group.next());
            started.push(observability);

            ProxyServer proxy = ProxyServer.start(live, group, transport, observability.traffic(),
                    () -> standard.drain.get() > 0);
            started.push(proxy);
            ModeReader mode = new ModeReader(flags);
            AdminServer admin = AdminServer.start(config.admin(), group, transport, observability.addEndpoints(
                    new AdminRoutes().add("/healthz", new HealthEndpoint(mode)), mode, config.flagsFile()));
            started.push(admin);
            LOG.log(System.Logger.Level.INFO, "maintd running as pid " + ProcessHandle.current().pid()
                    + " on flag file " + config.flagsFile());
            return new Daemon(started, proxy, admin, observability);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
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

    /** Bumped by a reload once the new config is live; shown on {@code /status}. */
    public ConfigGeneration configGeneration() {
        return observability.generation();
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
