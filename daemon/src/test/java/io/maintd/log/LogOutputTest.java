package io.maintd.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.daemon.MaintdMain;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's own log lines, from a real maintd process: UTC times, journald priorities, JSON. */
@Timeout(120)
class LogOutputTest {
    private static final Pattern STAMP = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z) ", Pattern.MULTILINE);

    @TempDir
    Path dir;
    private HeldBackend backend;
    private Process maintd;
    private Path stderr;

    @BeforeEach
    void backend() throws IOException {
        backend = new HeldBackend("one");
        stderr = Files.createFile(dir.resolve("stderr.log"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (maintd != null) {
            maintd.destroy();
            if (!maintd.waitFor(30, TimeUnit.SECONDS)) {
                maintd.destroyForcibly();
            }
        }
        backend.close();
    }

    /** maintd --config on {@code extra}, stderr into {@link #stderr}; returns its log once it runs. */
    private String start(String extra, Map<String, String> env) throws Exception {
        Path config = MaintdProcess.config(dir, backend.port(), extra);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MaintdMain.class.getName(), "--config", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
        pb.environment().remove("JOURNAL_STREAM");
        pb.environment().putAll(env);
        maintd = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String log = Files.readString(stderr);
            if (log.contains("maintd running as pid")) {
                return log;
            }
            assertTrue(maintd.isAlive(), log);
            Thread.sleep(20);
        }
        throw new AssertionError("maintd did not start: " + Files.readString(stderr));
    }

    @Test
    void timesAreUtcWhateverTheZoneOfTheProcess() throws Exception {
        Instant before = Instant.now();
        String log = start("", Map.of("TZ", "America/New_York"));
        Instant after = Instant.now();
        Matcher m = STAMP.matcher(log);
        List<Instant> stamps = new ArrayList<>();
        while (m.find()) {
            stamps.add(Instant.parse(m.group(1)));
        }
        assertFalse(stamps.isEmpty(), log);
        for (Instant stamp : stamps) {
            assertTrue(!stamp.isBefore(before.minus(Duration.ofSeconds(1))) && !stamp.isAfter(after.plusSeconds(1)),
                    stamp + " is not the real time (between " + before + " and " + after + "):\n" + log);
        }
    }

    @Test
    void underTheJournalEveryLineStartsWithItsPriorityAndHasNoTimeOfItsOwn() throws Exception {
        // JOURNAL_STREAM names stderr by device and inode, as systemd sets it.
        String stream = Files.getAttribute(stderr, "unix:dev") + ":" + Files.getAttribute(stderr, "unix:ino");
        String log = start("", Map.of("JOURNAL_STREAM", stream));
        for (String line : log.split("\n")) {
            assertTrue(line.matches("<[3467]>(INFO|WARNING|SEVERE) .*"), () -> "not a journal line: " + line + "\n" + log);
        }
        assertTrue(log.contains("<6>INFO maintd running as pid"), log);
    }

    @Test
    void aJournalStreamThatIsNotStderrIsIgnored() throws Exception {
        String log = start("", Map.of("JOURNAL_STREAM", "1:2"));
        assertTrue(STAMP.matcher(log).find(), log);
        assertFalse(log.startsWith("<"), log);
    }

    @Test
    void jsonFormatWritesOneObjectPerLine() throws Exception {
        String log = start("log: { format: json }", Map.of());
        String running = log.lines().filter(l -> l.contains("maintd running as pid")).findFirst().orElseThrow();
        assertTrue(running.matches("\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\",\"level\":\"INFO\",\"logger\":\"[\\w.]+\","
                + "\"message\":\"maintd running as pid \\d+ on flag file [^\"]+\"}"), running);
    }

    @Test
    void unknownFormatIsAConfigError() throws Exception {
        Path config = MaintdProcess.config(dir, backend.port(), "log: { format: xml }");
        Process check = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MaintdMain.class.getName(), "--check-config", "--config",
                config.toString()).redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes());
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, check.exitValue(), out);
        assertTrue(out.contains("log.format: 'xml' is not a log format (text or json)"), out);
    }
}
