package io.maintd.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.StandardFlags;
import io.maintd.load.HostLoad;
import io.maintd.load.LatencyWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadFactsTest {
    private static final long TICK = 100_000_000L;
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final LatencyWindow latency = new LatencyWindow();
    private final Map<String, Long> published = new HashMap<>();
    private FlagFile file;

    @AfterEach
    void close() {
        file.close();
    }

    private LoadFacts facts(Path proc) {
        Path flags = dir.resolve("flags");
        FlagFile.createIfMissing(flags, 32, FlagFile.DEFAULT_MODE, null);
        file = FlagFile.openReadWrite(flags);
        return new LoadFacts(StandardFlags.defineMissing(file.writer()),
                new LoadFacts.Sources(requests::get, errors::get, latency, new HostLoad(proc)));
    }

    private void tick(LoadFacts facts, long nanos) {
        facts.publish(nanos, (FlagHandle counter, long value) -> published.put(counter.name(), value));
    }

    @Test
    void everyFactIsPublishedFromItsSource() throws Exception {
        Path proc = Files.createDirectory(dir.resolve("proc"));
        Files.writeString(proc.resolve("loadavg"), "1.25 0.50 0.10 1/100 42\n");
        Files.writeString(proc.resolve("stat"), "cpu  0 0 0 0 0 0 0 0 0 0\n");
        LoadFacts facts = facts(proc);
        long start = 1_000 * 1_000_000_000L;
        tick(facts, start);
        for (int i = 1; i <= 10; i++) {
            requests.addAndGet(30);
            errors.addAndGet(2);
            latency.record(i <= 9 ? 20 * MS : 400 * MS);
            // 3 of every 4 ticks busy: 75 %
            Files.writeString(proc.resolve("stat"), "cpu  " + (i * 15) + " 0 0 " + (i * 5) + " 0 0 0 0 0 0\n");
            tick(facts, start + i * TICK);
        }
        assertEquals(300, published.get(StandardFlags.RPS));
        assertEquals(20, published.get(StandardFlags.ERRORS_PS));
        assertEquals(20, published.get(StandardFlags.LATENCY_P50_MS), 2);
        assertEquals(400, published.get(StandardFlags.LATENCY_P99_MS), 25);
        assertEquals(125, published.get(StandardFlags.LOAD1));
        assertEquals(75, published.get(StandardFlags.CPU_BUSY));
    }

    @Test
    void anUnreadableProcReadsMinusOneNotIdle() {
        LoadFacts facts = facts(dir.resolve("no-proc"));
        tick(facts, 0);
        tick(facts, 2_000_000_000L);
        assertEquals(-1, published.get(StandardFlags.LOAD1));
        assertEquals(-1, published.get(StandardFlags.CPU_BUSY));
        assertEquals(0, published.get(StandardFlags.RPS));
    }
}
