package io.maintd.demo;

import io.maintd.config.MaintdConfig;
import io.maintd.config.MaintdConfig.BackendConfig;
import io.maintd.config.MaintdConfig.DrainConfig;
import io.maintd.config.MaintdConfig.Limits;
import io.maintd.config.MaintdConfig.MaintenanceConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The configuration {@code maintd demo} runs with: the example config's shape, built in code. */
public final class DemoConfig {
    private DemoConfig() {
    }

    /** Limits in line with nginx's and HAProxy's defaults. */
    public static Limits limits() {
        return new Limits(
                8 * 1024,                 // request line
                16 * 1024,                // header block
                16 * 1024,                // largest body chunk handed on at once
                Duration.ofSeconds(2),    // connect
                Duration.ofSeconds(60),   // upstream response
                Duration.ofSeconds(75),   // idle client keep-alive (nginx keepalive_timeout)
                Duration.ofSeconds(30),   // idle pooled upstream connection
                Duration.ofSeconds(2));   // skip a refusing server for
    }

    /** @param page the maintenance page file, or null for the built-in page */
    public static MaintdConfig create(Path flagsFile, InetSocketAddress listen, InetSocketAddress admin,
                                      InetSocketAddress backend, Path page) {
        return new MaintdConfig(null, flagsFile, listen, admin, null,
                Map.of(DemoRules.BACKEND, new BackendConfig(DemoRules.BACKEND, List.of(backend))),
                new MaintenanceConfig(page, 503, Duration.ofSeconds(120)),
                limits(),
                new DrainConfig(Duration.ZERO, Duration.ofSeconds(30)),
                List.of());
    }
}
