package io.maintd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.config.MaintdConfig.FleetConfig;
import io.maintd.rules.RuleCompiler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code fleet:} section of maintd.yaml. */
class FleetConfigTest {
    private static final String MINIMAL = "backends: { app: { servers: [127.0.0.1:9001] } }\n";

    private static MaintdConfig parse(String yaml) {
        return ConfigLoader.parse(MINIMAL + yaml, "test.yaml", Map.of(), RuleCompiler::check);
    }

    private static String failure(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
    }

    private static void assertContains(String message, String expected) {
        assertTrue(message.contains(expected), () -> "expected <" + expected + "> in:\n" + message);
    }

    @Test
    void absentMeansNoFleet() {
        assertNull(parse("").fleet());
    }

    @Test
    void everyKeyIsRead() {
        FleetConfig f = parse("""
                fleet:
                  etcd: [http://10.0.0.5:2379, "http://etcd-2"]
                  prefix: /prod/maintd
                  service: web
                  host: web-3.example.com
                  lease-ttl: 30s
                  report-interval: 5s
                """).fleet();
        assertEquals(new FleetConfig(List.of(URI.create("http://10.0.0.5:2379"), URI.create("http://etcd-2:2379")),
                "/prod/maintd", "web", "web-3.example.com", Duration.ofSeconds(30), Duration.ofSeconds(5)), f);
    }

    @Test
    void defaultsAndTheMachinesHostname() throws Exception {
        FleetConfig f = parse("fleet: { etcd: http://127.0.0.1:2379, service: web }\n").fleet();
        assertEquals("/maintd", f.prefix());
        assertEquals(Duration.ofSeconds(10), f.leaseTtl());
        assertEquals(Duration.ofSeconds(1), f.reportInterval());
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), f.host());
    }

    @Test
    void everyProblemIsNamedWithItsKey() {
        String message = failure("""
                fleet:
                  etcd: [https://10.0.0.5:2379, 10.0.0.6:2379]
                  prefix: maintd/
                  host: "web 3"
                  lease-ttl: 1500ms
                  report-interval: 50ms
                  colour: blue
                """);
        assertContains(message, "fleet.etcd[0]: etcd endpoint 'https://10.0.0.5:2379': https is not supported");
        assertContains(message, "fleet.etcd[1]: etcd endpoint '10.0.0.6:2379' has no scheme; write http://10.0.0.6:2379");
        assertContains(message, "fleet.prefix: prefix \"maintd/\" must start with '/'");
        assertContains(message, "fleet.host: host name \"web 3\" has ' ' at position 4");
        assertContains(message, "fleet.lease-ttl: '1500ms': a lease TTL is whole seconds, 2s or more");
        assertContains(message, "fleet.report-interval: '50ms' is too short");
        assertContains(message, "fleet.colour: unknown key 'colour'");
        assertContains(message, "fleet: missing key 'service'");
        assertContains(failure("fleet: { service: web }\n"), "fleet: missing key 'etcd'");
        assertContains(failure("fleet: { etcd: http://h:1, service: web, lease-ttl: 3s, report-interval: 3s }\n"),
                "report-interval 3000ms must be shorter than lease-ttl 3s");
    }
}
