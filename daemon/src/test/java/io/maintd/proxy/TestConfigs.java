package io.maintd.proxy;

import io.maintd.config.ConfigDefaults;
import io.maintd.config.MaintdConfig;
import io.maintd.config.MaintdConfig.BackendConfig;
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

/** Configurations built in code, as the config loader would produce them. */
final class TestConfigs {
    static final Duration RETRY_AFTER = Duration.ofSeconds(120);

    private TestConfigs() {
    }

    static Limits limits() {
        return new Limits(4096, 8192, 8192,
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(5), ConfigDefaults.UPSTREAM_MAX_IDLE);
    }

    static Limits withResponseTimeout(Duration timeout) {
        Limits l = limits();
        return new Limits(l.maxInitialLineLength(), l.maxHeaderSize(), l.maxChunkSize(), l.connectTimeout(), timeout,
                l.clientIdleTimeout(), l.upstreamIdleTimeout(), l.backendRetryBackoff(), l.upstreamMaxIdle());
    }

    static Limits withClientIdleTimeout(Duration timeout) {
        Limits l = limits();
        return new Limits(l.maxInitialLineLength(), l.maxHeaderSize(), l.maxChunkSize(), l.connectTimeout(),
                l.responseTimeout(), timeout, l.upstreamIdleTimeout(), l.backendRetryBackoff(), l.upstreamMaxIdle());
    }

    static Limits withUpstreamMaxIdle(int maxIdle) {
        Limits l = limits();
        return new Limits(l.maxInitialLineLength(), l.maxHeaderSize(), l.maxChunkSize(), l.connectTimeout(),
                l.responseTimeout(), l.clientIdleTimeout(), l.upstreamIdleTimeout(), l.backendRetryBackoff(), maxIdle);
    }

    static MaintdConfig config(Path flagsFile, List<InetSocketAddress> servers, Path page, Limits limits) {
        return new MaintdConfig(null, flagsFile, loopback(0), loopback(0), null,
                Map.of(DemoConfig.BACKEND, new BackendConfig(DemoConfig.BACKEND, servers)),
                new MaintenanceConfig(page, 503, RETRY_AFTER),
                limits,
                new DrainConfig(Duration.ZERO, Duration.ofSeconds(30)),
                List.of());
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
}
