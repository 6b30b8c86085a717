package io.maintd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.testsupport.HaproxyProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** conf/haproxy.cfg is what operators copy, so the real HAProxy must accept it as written. */
@Timeout(60)
class HaproxyExampleConfigTest {
    private static final Path EXAMPLE = Path.of("").toAbsolutePath().getParent().resolve("conf/haproxy.cfg");

    @Test
    void exampleConfigIsValidForHaproxy() throws Exception {
        Process check = new ProcessBuilder(HaproxyProcess.BINARY.toString(), "-c", "-f", EXAMPLE.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS), "haproxy -c did not finish");
        assertEquals(0, check.exitValue(), output);
    }
}
