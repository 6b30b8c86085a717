package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class FlipFromAnotherProcessTest {
    private static final int FLIPS = 1000;

    @TempDir
    Path dir;

    /**
     * Another process flips maint and says so on its stdout; the very next request, on a
     * connection kept alive across all flips, must already be routed by the new value.
     */
    @Test
    @Timeout(120)
    void everyRequestAfterAFlipIsRoutedByTheNewValue() throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             TestBackend backend = new TestBackend("app");
             ProxyFixture proxy = new ProxyFixture(flags,
                     TestConfigs.config(flags.path(), List.of(backend.address()), null, TestConfigs.limits()));
             RawHttp client = new RawHttp(proxy.port())) {
            Process flipper = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), FlagFlipper.class.getName(),
                    flags.path().toString(), "maint")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            List<String> stale = new ArrayList<>();
            try (PrintStream toFlipper = new PrintStream(flipper.getOutputStream(), true, StandardCharsets.US_ASCII);
                 BufferedReader fromFlipper = new BufferedReader(
                         new InputStreamReader(flipper.getInputStream(), StandardCharsets.US_ASCII))) {
                for (int i = 0; i < FLIPS; i++) {
                    long maint = (i + 1) % 2;
                    toFlipper.println(maint);
                    assertEquals("set " + maint, fromFlipper.readLine());
                    int status = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status();
                    int expected = maint == 1 ? 503 : 200;
                    if (status != expected) {
                        stale.add("flip " + i + ": maint=" + maint + " got " + status);
                    }
                }
            } finally {
                flipper.destroy();
                flipper.waitFor();
            }
            assertEquals(List.of(), stale);
            assertEquals(FLIPS / 2, proxy.counters.requests(Route.MAINTENANCE));
            assertEquals(FLIPS / 2, proxy.counters.requests(Route.BACKEND));
        }
    }
}
