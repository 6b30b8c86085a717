package io.maintd.fleetsync;

import io.maintd.config.MaintdConfig.FleetConfig;
import io.maintd.flagfile.AuditLog;
import io.maintd.flagfile.FlagWriter;
import io.maintd.json.JsonObject;
import io.maintd.fleet.EtcdClient;
import io.maintd.fleet.FleetKeys;
import io.maintd.fleet.HostStatus;
import io.maintd.lifecycle.ModeSource;
import io.maintd.net.Transport;
import io.maintd.monitor.Flip;
import io.maintd.proxy.TrafficCounters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * The daemon's side of the fleet (docs/fleet.md): mirrors the etcd keys for this host into the
 * flag file ({@link FleetWatch}, {@link FlagMirror}) and publishes the host's status under a
 * lease ({@link StatusPublisher}), all on one event loop. Starting never waits for etcd: the
 * daemon serves from its flag file and syncs once etcd answers, and keeps the last values while
 * it does not (fail-static). Local readers of the flag file are untouched.
 */
public final class FleetSync implements AutoCloseable, MeterBinder {
    private static final System.Logger LOG = System.getLogger(FleetSync.class.getName());
    /** For connecting and for each call's answer; etcd answers in milliseconds when it is up. */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** The largest answer read: a snapshot of a few hundred flag keys is far below it. */
    private static final int MAX_ANSWER_BYTES = 4 << 20;
    private static final String VERSION = Objects.requireNonNullElse(FleetSync.class.getPackage().getImplementationVersion(),
            "dev");

    private final FleetConfig config;
    private final EventLoop loop;
    private final EtcdClient client;
    private final FlagMirror mirror;
    private final FleetConnection connection;
    private final FleetWatch watch;
    private final StatusPublisher publisher;

    private FleetSync(FleetConfig config, EventLoop loop, EtcdClient client, FlagMirror mirror, FleetConnection connection, FleetWatch watch,
                      StatusPublisher publisher) {
        this.config = config;
        this.loop = loop;
        this.client = client;
        this.mirror = mirror;
        this.connection = connection;
        this.watch = watch;
        this.publisher = publisher;
    }

    /**
     * @throws io.maintd.flagfile.FlagFileException when the audit log cannot be opened: the mirror
     *                                              must not write what it cannot record
     */
    public static FleetSync start(FleetConfig config, FlagWriter writer, EventLoop loop, ModeSource modes,
                                  TrafficCounters counters) {
        FleetKeys keys = new FleetKeys(config.prefix());
        AuditLog audit = AuditLog.open(writer.reader().path());
        MirrorState state;
        try {
            state = MirrorState.load(writer.reader().path());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "fleet: ignoring the mirror state: " + e.getMessage()
                    + "; flags the fleet set before are treated as the host's own");
            state = MirrorState.empty(writer.reader().path());
        }
        Transport transport = Transport.of(loop);
        NettyEtcdTransport etcd = new NettyEtcdTransport(loop, transport, TIMEOUT, MAX_ANSWER_BYTES);
        EtcdClient client = new EtcdClient(config.etcd(), etcd);
        FlagMirror mirror = new FlagMirror(keys, config.service(), config.host(), writer, audit, state, System::currentTimeMillis);
        FleetConnection connection = new FleetConnection(System::currentTimeMillis);
        FleetWatch watch = new FleetWatch(loop, transport, client, keys, config.service(), config.host(), mirror,
                connection, TIMEOUT);
        long startedAt = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli())
                .orElse(System.currentTimeMillis());
        long pid = ProcessHandle.current().pid();
        StatusPublisher publisher = new StatusPublisher(loop, client, keys, config.service(), config.host(),
                config.leaseTtl(), config.reportInterval(),
                () -> new HostStatus(modes.mode().word(), counters.inFlight(), counters.openConnections(), counters.requests(),
                        VERSION, System.currentTimeMillis(), pid, startedAt, mirror.revision(), mirror.overrides()),
                watch::suspect, System::currentTimeMillis);
        LOG.log(System.Logger.Level.INFO, "fleet: host " + config.host() + " of service " + config.service() + ", etcd "
                + config.etcd() + ", keys under " + config.prefix() + "; serving from the flag file until etcd answers");
        watch.start();
        publisher.start();
        return new FleetSync(config, loop, client, mirror, connection, watch, publisher);
    }

    /** Local writes to fleet-controlled flags are overrides; the mirror notes them on its loop. */
    public void onFlip(Flip flip) {
        loop.execute(() -> mirror.onFlip(flip));
    }

    public boolean connected() {
        return connection.connected();
    }

    /**
     * The {@code fleet} object of {@code /status}: whether the daemon follows etcd or keeps its
     * last values (fail-static), since when and why, and the revision it has mirrored up to.
     */
    public JsonObject status() {
        FleetConnection.State state = connection.state();
        return new JsonObject()
                .put("connected", state.connected())
                .putTime("since", state.sinceMillis())
                .put("problem", state.problem())
                .put("etcd", client.preferredEndpoint().toString())
                .put("host", config.host())
                .put("service", config.service())
                .put("revision", mirror.revision());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("maintd.fleet.connected", this, f -> f.connected() ? 1 : 0)
                .description("1 while the daemon watches etcd, 0 while it keeps the last values (fail-static)")
                .register(registry);
        Gauge.builder("maintd.fleet.revision", mirror, FlagMirror::revision)
                .description("The etcd revision of the last fleet change mirrored into the flag file")
                .register(registry);
    }

    @Override
    public void close() {
        publisher.close();
        watch.close();
        client.close();
    }
}
