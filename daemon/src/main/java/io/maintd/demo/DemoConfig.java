package io.maintd.demo;

import io.maintd.config.ConfigLoader;
import io.maintd.config.MaintdConfig;
import io.maintd.config.MaintdConfig.MaintenanceConfig;
import io.maintd.rules.RuleCompiler;
import io.maintd.syntax.AddressSyntax;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The configuration {@code maintd demo} runs with: the bundled {@code demo.yaml}, which has
 * the example config's rules, loaded and compiled by the same code as any config file.
 */
public final class DemoConfig {
    public static final String BYPASS_HEADER = "X-Maintd-Bypass";
    public static final String BACKEND = "app";
    private static final String RESOURCE = "demo.yaml";

    private DemoConfig() {
    }

    /**
     * @param page        the maintenance page file, or null for the built-in page
     * @param bypassToken the {@value #BYPASS_HEADER} value that lets a request through maintenance
     */
    public static MaintdConfig create(Path flagsFile, InetSocketAddress listen, InetSocketAddress admin,
                                      InetSocketAddress backend, Path page, String bypassToken) {
        Map<String, String> values = Map.of(
                "MAINTD_DEMO_FLAGS", flagsFile.toAbsolutePath().toString(),
                "MAINTD_DEMO_LISTEN", AddressSyntax.format(listen),
                "MAINTD_DEMO_ADMIN", AddressSyntax.format(admin),
                "MAINTD_DEMO_BACKEND", AddressSyntax.format(backend),
                "MAINTD_BYPASS_TOKEN", bypassToken);
        MaintdConfig c = ConfigLoader.parse(text(), "built-in " + RESOURCE, values, RuleCompiler::check);
        MaintenanceConfig m = c.maintenance();
        return new MaintdConfig(c.source(), c.flagsFile(), c.listen(), c.admin(), c.adminAllowedHosts(), c.adminToken(), c.agent(),
                c.backends(),
                new MaintenanceConfig(page == null ? null : page.toAbsolutePath(), m.status(), m.retryAfter(), m.announce(),
                        m.announceHeader(), m.wellKnown()),
                c.limits(), c.drain(), c.balancersWindow(), c.rules(), c.log(), c.fleet(), c.transport());
    }

    private static String text() {
        try (InputStream in = DemoConfig.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the maintd jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + RESOURCE, e);
        }
    }
}
