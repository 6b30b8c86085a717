package io.maintd.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.testsupport.Launchers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/maintd} as an operator meets it: through a symlink, from another directory, with the
 * launcher's heap default and its overrides, and named {@code maintd} for pgrep.
 */
@Timeout(180)
class MaintdLauncherIT {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void versionWorksThroughASymlinkFromAnyDirectory() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("maintd"), Launchers.maintd());
        Process p = new ProcessBuilder(link.toString(), "--version").directory(Path.of("/").toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.matches("maintd \\S+ \\(commit ([0-9a-f]{12}|unknown)\\)\n"), out);
    }

    @Test
    void daemonRunsWithTheDocumentedHeapAndShowsAsMaintd() throws Exception {
        Process demo = startDemo(Map.of());
        try {
            assertEquals(256 * MIB, maxHeap(demo.pid()));
            assertEquals("maintd\n", Files.readString(Path.of("/proc/" + demo.pid() + "/comm")));
            Process pgrep = new ProcessBuilder("pgrep", "-x", "maintd").start();
            String pids = new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(pgrep.waitFor(30, TimeUnit.SECONDS));
            assertTrue(pids.lines().anyMatch(line -> line.equals(Long.toString(demo.pid()))), pids);
        } finally {
            stop(demo);
        }
    }

    @Test
    void heapIsSetByMaintdHeap() throws Exception {
        Process demo = startDemo(Map.of("MAINTD_HEAP", "128m"));
        try {
            assertEquals(128 * MIB, maxHeap(demo.pid()));
        } finally {
            stop(demo);
        }
    }

    @Test
    void javaOptionsComeLastAndWin() throws Exception {
        Process demo = startDemo(Map.of("MAINTD_JAVA_OPTS", "-Xmx192m"));
        try {
            assertEquals(192 * MIB, maxHeap(demo.pid()));
        } finally {
            stop(demo);
        }
    }

    /** {@code maintd demo} on free ports, started through a symlink; returns once it printed its addresses. */
    private Process startDemo(Map<String, String> env) throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("maintd-" + System.nanoTime()), Launchers.maintd());
        ProcessBuilder pb = new ProcessBuilder(link.toString(), "demo", "--listen", "127.0.0.1:0", "--admin",
                "127.0.0.1:0").directory(dir.toFile()).redirectError(dir.resolve("demo.log").toFile());
        pb.environment().remove("MAINTD_JAVA_OPTS");
        pb.environment().remove("MAINTD_HEAP");
        pb.environment().putAll(env);
        Process demo = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); ; line = out.readLine()) {
            if (line == null) {
                throw new AssertionError("the demo ended before it ran: " + Files.readString(dir.resolve("demo.log")));
            }
            if (line.equals("Try:")) {
                return demo;
            }
        }
    }

    /** MaxHeapSize of the running JVM, as jcmd reads it from the process itself. */
    private static long maxHeap(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.flags").redirectErrorStream(true).start();
        String flags = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        for (String word : flags.split("\\s+")) {
            if (word.startsWith("-XX:MaxHeapSize=")) {
                return Long.parseLong(word.substring("-XX:MaxHeapSize=".length()));
            }
        }
        throw new AssertionError("no MaxHeapSize in: " + flags);
    }

    private static void stop(Process demo) throws InterruptedException {
        demo.destroy();
        if (!demo.waitFor(30, TimeUnit.SECONDS)) {
            demo.destroyForcibly();
        }
    }
}
