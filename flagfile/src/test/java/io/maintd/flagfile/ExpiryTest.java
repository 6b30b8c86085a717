package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timed set and its revert. Time is passed in explicitly, so these tests state instants
 * (before, at, after the deadline) instead of waiting for them.
 */
class ExpiryTest {
    private static final long DEADLINE = 1_700_000_000_000L;

    @TempDir
    Path dir;
    private FlagFile file;
    private FlagWriter writer;
    private FlagHandle maint;

    @BeforeEach
    void open() {
        Path path = dir.resolve("flags");
        FlagFile.createIfMissing(path, 4, FlagFile.DEFAULT_MODE, null);
        file = FlagFile.openReadWrite(path);
        writer = file.writer();
        maint = writer.define("maint", FlagKind.FLAG, 0).handle();
    }

    @AfterEach
    void close() {
        file.close();
    }

    @Test
    void timedSetRecordsTheDeadlineAndTheValueToRevertTo() {
        assertEquals(new FlagWriter.TimedSet(0, 0), writer.setUntil(maint, 1, DEADLINE));

        FlagSnapshot s = snapshot();
        assertEquals(1, s.value());
        assertEquals(DEADLINE, s.expiresAtMillis());
        assertEquals(0, s.revertValue());
    }

    @Test
    void aTimedSetOverAPendingOneExtendsTheWindowAndKeepsTheOriginalRevertValue() {
        writer.setUntil(maint, 1, DEADLINE);
        assertEquals(new FlagWriter.TimedSet(1, 0), writer.setUntil(maint, 1, DEADLINE + 60_000),
                "it replaced the timed 1 and still reverts to the 0 from before the first window");

        assertEquals(Optional.empty(), writer.revertIfExpired(maint, DEADLINE));
        assertEquals(0, writer.revertIfExpired(maint, DEADLINE + 60_000).orElseThrow().to());
        assertEquals(0, maint.get());
    }

    @Test
    void nothingRevertsBeforeTheDeadline() {
        writer.setUntil(maint, 1, DEADLINE);

        assertEquals(Optional.empty(), writer.revertIfExpired(maint, DEADLINE - 1));
        assertEquals(1, maint.get());
        assertEquals(DEADLINE, snapshot().expiresAtMillis());
    }

    @Test
    void theValueRevertsOnceTheDeadlineIsReached() {
        writer.setUntil(maint, 1, DEADLINE);

        FlagWriter.Revert revert = writer.revertIfExpired(maint, DEADLINE).orElseThrow();

        assertEquals(1, revert.from());
        assertEquals(0, revert.to());
        assertEquals(0, maint.get());
        assertEquals(0, snapshot().expiresAtMillis(), "the expiry is consumed");
        assertEquals(Optional.empty(), writer.revertIfExpired(maint, DEADLINE + 1), "a revert happens once");
    }

    @Test
    void aPlainSetCancelsThePendingExpiry() {
        writer.setUntil(maint, 1, DEADLINE);

        writer.set(maint, 2);

        assertEquals(0, snapshot().expiresAtMillis());
        assertEquals(Optional.empty(), writer.revertIfExpired(maint, DEADLINE + 1));
        assertEquals(2, maint.get(), "the operator's later set wins over the revert");
    }

    @Test
    void anAddKeepsThePendingExpiry() {
        writer.setUntil(maint, 5, DEADLINE);

        writer.addAndGet(maint, 1);

        assertEquals(DEADLINE, snapshot().expiresAtMillis());
        FlagWriter.Revert revert = writer.revertIfExpired(maint, DEADLINE).orElseThrow();
        assertEquals(6, revert.from());
        assertEquals(0, maint.get());
    }

    @Test
    void aCompareAndSetKeepsThePendingExpiry() {
        writer.setUntil(maint, 5, DEADLINE);

        assertTrue(writer.compareAndSet(maint, 5, 7));

        assertEquals(DEADLINE, snapshot().expiresAtMillis());
        assertEquals(7, writer.revertIfExpired(maint, DEADLINE).orElseThrow().from());
        assertEquals(0, maint.get());
    }

    @Test
    void aFlagWithoutExpiryNeverReverts() {
        writer.set(maint, 3);

        assertEquals(Optional.empty(), writer.revertIfExpired(maint, Long.MAX_VALUE));
        assertEquals(3, maint.get());
    }

    private FlagSnapshot snapshot() {
        return writer.reader().snapshot(maint).orElseThrow();
    }
}
