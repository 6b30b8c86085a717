package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Writers in separate JVMs sharing one mapping: nothing lost, nothing duplicated, nothing stale. */
@Timeout(120)
class CrossProcessWritesTest {
    private static final long OPS_PER_PROCESS = 1_000_000;
    private static final int DEFINE_ROUNDS = 200;
    private static final int FLIP_ROUNDS = 2_000;

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void createFile() {
        file = dir.resolve("flags");
        FlagFile.createIfMissing(file, 512, FlagFile.DEFAULT_MODE, null);
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            f.writer().define(FlagWorker.BARRIER_FLAG, FlagKind.FLAG, 0);
            f.writer().define("hits", FlagKind.FLAG, 0);
        }
    }

    @Test
    void addFromTwoProcessesLosesNoIncrement() {
        long interleaved = runBoth("add", file.toString(), "hits", Long.toString(OPS_PER_PROCESS), "2");

        assertEquals(2 * OPS_PER_PROCESS, valueOf("hits"));
        assertTrue(interleaved > 0, "the two workers never overlapped, so nothing was tested");
    }

    @Test
    void compareAndSetLoopsFromTwoProcessesLoseNoUpdate() {
        long lostRaces = runBoth("cas", file.toString(), "hits", Long.toString(OPS_PER_PROCESS), "2");

        assertEquals(2 * OPS_PER_PROCESS, valueOf("hits"));
        assertTrue(lostRaces > 0, "no compare-and-set ever lost, so the workers never overlapped");
    }

    @Test
    void twoProcessesDefiningTheSameNameAtOnceGetOneSlot() {
        long created = runBoth("define-race", file.toString(), Integer.toString(DEFINE_ROUNDS), "2");

        Map<String, Integer> slotsPerName = new HashMap<>();
        try (FlagFile f = FlagFile.openReadOnly(file)) {
            for (FlagSnapshot s : f.reader().list()) {
                slotsPerName.merge(s.name(), 1, Integer::sum);
            }
        }
        for (int round = 1; round <= DEFINE_ROUNDS; round++) {
            assertEquals(1, slotsPerName.getOrDefault("race-" + round, 0), "slots named race-" + round);
        }
        assertEquals(DEFINE_ROUNDS + 2, slotsPerName.size(), "names in the file: " + slotsPerName.keySet());
        assertEquals(DEFINE_ROUNDS, created, "definitions that reported created=true");
    }

    @Test
    void readerInAnotherProcessSeesASetOnItsVeryNextRead() {
        try (FlagFile f = FlagFile.openReadOnly(file); ChildJvm writer = ChildJvm.start("serve-sets", file.toString(), "hits")) {
            FlagHandle hits = f.reader().handle("hits");
            List<String> stale = new ArrayList<>();
            for (long round = 1; round <= FLIP_ROUNDS; round++) {
                writer.send(Long.toString(round));
                writer.expectLine("done " + round);
                long seen = hits.get();
                if (seen != round) {
                    stale.add("round " + round + " read " + seen);
                }
            }
            assertEquals(List.of(), stale);
            assertEquals(0, writer.awaitExit());
        }
    }

    /** Runs the command in two children at once; returns the sum of the numbers they report. */
    private static long runBoth(String... command) {
        try (ChildJvm first = ChildJvm.start(command); ChildJvm second = ChildJvm.start(command)) {
            long total = Long.parseLong(first.expectLine("done ")) + Long.parseLong(second.expectLine("done "));
            assertEquals(0, first.awaitExit(), "first worker exit code");
            assertEquals(0, second.awaitExit(), "second worker exit code");
            return total;
        }
    }

    private long valueOf(String flag) {
        try (FlagFile f = FlagFile.openReadOnly(file)) {
            return f.reader().handle(flag).get();
        }
    }
}
