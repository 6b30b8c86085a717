package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.MaintdProcess;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent-check port of a real daemon configured with {@code agent:}, driven by the real flagctl and signals. */
@Timeout(120)
class AgentCheckTest {
    @TempDir
    Path dir;

    private HeldBackend backend;
    private MaintdProcess maintd;

    @BeforeEach
    void start() throws Exception {
        backend = new HeldBackend("one");
        maintd = MaintdProcess.start(MaintdProcess.config(dir, backend.port(),
                "agent: 127.0.0.1:0\ndrain: { lead-time: 10m }"), Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        maintd.close();
        backend.close();
    }

    private String agentLine() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", maintd.port("agent"))) {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void answersReadyAtFullWeight() throws Exception {
        assertEquals("ready 100% up\n", agentLine());
    }

    @Test
    void answersDrainAfterFlagctlSetsDrain() throws Exception {
        FlagctlRun.run(dir.resolve("flags"), "set", "drain", "1").ok();
        assertEquals("drain up\n", agentLine());
    }

    @Test
    void answersDrainAsSoonAsSigtermArrives() throws Exception {
        maintd.signal("TERM");
        maintd.awaitLog("drain: started");
        assertEquals("drain up\n", agentLine());
    }
}
