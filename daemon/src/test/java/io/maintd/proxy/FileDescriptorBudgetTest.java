package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.config.ConfigException;
import io.maintd.config.ConfigLoader;
import io.maintd.config.MaintdConfig;
import io.maintd.rules.RuleCompiler;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileDescriptorBudgetTest {
    private static MaintdConfig config(String limits) {
        return ConfigLoader.parse("backends: { app: { servers: [127.0.0.1:9001] } }\n" + limits, "maintd.yaml", Map.of(),
                RuleCompiler::check);
    }

    @Test
    void withoutAConfiguredValueEveryConnectionGetsTwoDescriptorsAfterTheReserve() {
        assertEquals((65536 - 512) / 2, new FileDescriptorBudget(65536).maxConnections(config("")));
        assertEquals((1024 - 512) / 2, new FileDescriptorBudget(1024).maxConnections(config("")));
    }

    @Test
    void aConfiguredValueThatFitsIsKept() {
        assertEquals(1000, new FileDescriptorBudget(65536).maxConnections(config("limits: { max-connections: 1000 }")));
        assertEquals(256, new FileDescriptorBudget(1024).maxConnections(config("limits: { max-connections: 256 }")));
    }

    @Test
    void aConfiguredValueBeyondTheLimitIsRefusedNamingKeyAndNumbers() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new FileDescriptorBudget(1024).maxConnections(config("limits: { max-connections: 257 }")));
        assertEquals("maintd.yaml: limits.max-connections: 257 connections need up to 1026 file descriptors (a client"
                + " and a backend connection each, plus 512 for the admin and agent ports and the JVM), but"
                + " RLIMIT_NOFILE is 1024; raise LimitNOFILE= in maintd.service (or ulimit -n), or set it to 256 or less",
                e.getMessage());
    }

    @Test
    void aLimitWithNoRoomForAnyConnectionIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new FileDescriptorBudget(513).maxConnections(config("")));
        assertTrue(e.getMessage().startsWith("maintd.yaml: limits.max-connections: RLIMIT_NOFILE 513 leaves no"
                + " descriptor for client connections"), e.getMessage());
    }

    @Test
    void thisProcessHasALimit() {
        long limit = FileDescriptorBudget.ofThisProcess().limit();
        assertTrue(limit > 0 && limit < Long.MAX_VALUE, "RLIMIT_NOFILE as the JVM sees it: " + limit);
    }
}
