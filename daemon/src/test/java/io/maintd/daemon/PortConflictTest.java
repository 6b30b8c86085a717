package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10: two maintd processes with different flag files (so the daemon lock does not stop
 * the second) and one port in common. The second must refuse to start, naming the port and the
 * key, instead of binding beside the first and taking half of its connections.
 */
@Timeout(120)
class PortConflictTest {
    @TempDir
    Path dir;

    private HeldBackend backend;
    private MaintdProcess first;

    @BeforeEach
    void startFirst() throws Exception {
        backend = new HeldBackend("first");
        first = MaintdProcess.start(MaintdProcess.config(Files.createDirectories(dir.resolve("first")), backend.port(),
                "agent: 127.0.0.1:0"), Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        first.close();
        backend.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"listen", "admin", "agent"})
    void aSecondDaemonOnAnyTakenPortExitsNamingTheAddressAndKey(String key) throws Exception {
        String taken = "127.0.0.1:" + first.port(key.equals("listen") ? "http" : key);
        String listen = key.equals("listen") ? taken : "127.0.0.1:0";
        String admin = key.equals("admin") ? taken : "127.0.0.1:0";
        String agent = key.equals("agent") ? taken : "127.0.0.1:0";
        Path config = MaintdProcess.config(Files.createDirectories(dir.resolve("second")), listen, admin, backend.port(),
                "agent: " + agent);

        MaintdProcess second = MaintdProcess.launch(List.of(), config, Map.of());
        assertEquals(1, second.awaitExit(), second.log());
        assertTrue(second.log().contains("maintd: address " + taken + " (" + key + ") already in use"), second.log());

        assertEquals("HTTP/1.1 200 OK", first.proxyStatusLine("/"), "the first daemon keeps all of its traffic");
    }
}
