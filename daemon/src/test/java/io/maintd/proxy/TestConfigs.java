package io.maintd.proxy;

import io.maintd.config.ConfigDefaults;
import io.maintd.config.MaintdConfig;
import io.maintd.config.MaintdConfig.BackendConfig;
import io.maintd.config.MaintdConfig.CheckConfig;
import io.maintd.config.MaintdConfig.DrainConfig;
import io.maintd.config.MaintdConfig.Limits;
import io.maintd.config.MaintdConfig.MaintenanceConfig;
import io.maintd.demo.DemoConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Configurations built in code, as the config loader would produce them. */
final class TestConfigs {
    static final Duration RETRY_AFTER = Duration.ofSeconds(120);

    private TestConfigs() {
    }

    static Limits limits() {
        return limits(b -> { });
    }

    /** The tests' limits with what one test changes, e.g. {@code limits(b -> b.responseTimeout = ...)}. */
    static Limits limits(Consumer<LimitsBuilder> change) {
        LimitsBuilder b = new LimitsBuilder();
        change.accept(b);
        return new Limits(b.maxInitialLineLength, b.maxHeaderSize, b.maxChunkSize, b.connectTimeout,
                b.responseTimeout, b.clientIdleTimeout, b.upstreamIdleTimeout, b.backendRetryBackoff, b.upstreamMaxIdle,
                b.headerTimeout, b.bodyTimeout, b.bodyMinRate, b.maxConnections);
    }

    static final class LimitsBuilder {
        int maxInitialLineLength = 4096;
        int maxHeaderSize = 8192;
        int maxChunkSize = 8192;
        Duration connectTimeout = Duration.ofSeconds(5);
        Duration responseTimeout = Duration.ofSeconds(30);
        Duration clientIdleTimeout = Duration.ofSeconds(60);
        Duration upstreamIdleTimeout = Duration.ofSeconds(60);
        Duration backendRetryBackoff = Duration.ofSeconds(5);
        int upstreamMaxIdle = ConfigDefaults.UPSTREAM_MAX_IDLE;
        Duration headerTimeout = ConfigDefaults.HEADER_TIMEOUT;
        Duration bodyTimeout = ConfigDefaults.BODY_TIMEOUT;
        int bodyMinRate = ConfigDefaults.BODY_MIN_RATE;
        int maxConnections = ConfigDefaults.MAX_CONNECTIONS;
    }

    /**
     * Without active checks: tests that count the backend's connections or script each one must
     * not meet a check's connection. A refused server is still probed back in.
     */
    static MaintdConfig config(Path flagsFile, List<InetSocketAddress> servers, Path page, Limits limits) {
        return config(flagsFile, servers, page, limits, null);
    }

    static MaintdConfig config(Path flagsFile, List<InetSocketAddress> servers, Path page, Limits limits,
                               CheckConfig check) {
        return new MaintdConfig(null, flagsFile, loopback(0), loopback(0), List.of(), null, null,
                Map.of(DemoConfig.BACKEND, new BackendConfig(DemoConfig.BACKEND, servers, check)),
                new MaintenanceConfig(page, 503, RETRY_AFTER),
                limits,
                new DrainConfig(Duration.ZERO, Duration.ofSeconds(30)), ConfigDefaults.BALANCERS_WINDOW,
                List.of(),
                ConfigDefaults.LOG);
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
}
