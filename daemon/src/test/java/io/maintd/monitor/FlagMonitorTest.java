package io.maintd.monitor;

import static org.junit.jupiter.api.Assertions.*;

import io.maintd.flagfile.AuditLog;
import io.maintd.flagfile.DaemonLock;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagFileKeeper;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.flagfile.FlagWriter;
import io.maintd.flagfile.StandardFlags;
import io.maintd.load.HostLoad;
import io.maintd.load.LatencyWindow;
import io.maintd.lifecycle.ModeSource;
import io.maintd.notice.NoticeTracker;
import io.maintd.notice.ProbeLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlagMonitorTest {
    @TempDir
    Path dir;

    private FlagFile file;
    private FlagWriter writer;
    private DaemonLock lock;
    private StandardFlags flags;
    private FlagFileKeeper keeper;
    private final List<Flip> flips = new ArrayList<>();
    private final List<DefinitionChange> definitions = new ArrayList<>();
    private final AtomicLong conns = new AtomicLong();
    private final AtomicLong inflight = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private FlagMonitor monitor;

    @BeforeEach
    void open() {
        Path path = dir.resolve("flags");
        FlagFile.createIfMissing(path, 32, FlagFile.DEFAULT_MODE, null);
        file = FlagFile.openReadWrite(path);
        writer = file.writer();
        lock = writer.lockForDaemon();
        flags = StandardFlags.defineMissing(writer);
        keeper = FlagFileKeeper.of(file);
        monitor = new FlagMonitor(keeper, writer, lock, flags,
                new FlagMonitor.CounterSources(conns::get, inflight::get, requests::get),
                // A /proc that is not there: the host facts read -1 on every tick, so ticks change only what a test changes.
                new LoadFacts(flags, new LoadFacts.Sources(requests::get, () -> 0, new LatencyWindow(), new HostLoad(dir.resolve("no-proc")))),
                new NoticeTracker(ModeSource.of(flags), new ProbeLog(), () -> 60_000, System.currentTimeMillis()),
                new FlipListener() {
                    @Override
                    public void onFlip(Flip flip) {
                        flips.add(flip);
                    }

                    @Override
                    public void onDefinitionChange(DefinitionChange change) {
                        definitions.add(change);
                    }
                });
    }

    @AfterEach
    void close() {
        lock.close();
        file.close();
    }

    @Test
    void standardFlagsKeepExistingValues() {
        writer.set(flags.maint, 1);
        StandardFlags again = StandardFlags.defineMissing(writer);
        assertEquals(1, again.maint.get());
        assertEquals(100, again.weight.get());
    }

    @Test
    void eachFlipIsReportedOnceWithTheWriter() {
        writer.set(flags.maint, 1);
        monitor.tick(System.currentTimeMillis());
        monitor.tick(System.currentTimeMillis());

        assertEquals(1, flips.size());
        Flip flip = flips.get(0);
        assertEquals("maint", flip.name());
        assertEquals(0, flip.from());
        assertEquals(1, flip.to());
        assertEquals(ProcessHandle.current().pid(), flip.writerPid());
        assertFalse(flip.expired());
        assertTrue(flip.describe().startsWith("flag maint 0 -> 1 by pid " + ProcessHandle.current().pid() + " uid "));
    }

    @Test
    void severalWritesBetweenTicksAreOneFlipThatCountsThem() {
        writer.set(flags.drain, 1);
        writer.set(flags.drain, 0);
        monitor.tick(System.currentTimeMillis());

        assertEquals(1, flips.size());
        assertEquals(0, flips.get(0).from());
        assertEquals(0, flips.get(0).to());
        assertEquals(2, flips.get(0).writes());
    }

    @Test
    void publishedCountersAreNotFlips() {
        conns.set(3);
        inflight.set(2);
        requests.set(40);
        monitor.tick(System.currentTimeMillis());

        assertEquals(3, flags.conns.get());
        assertEquals(2, flags.inflight.get());
        assertEquals(40, flags.requests.get());
        assertTrue(flips.isEmpty());
    }

    @Test
    void unchangedCountersDoNotMoveTheChangeSequence() {
        inflight.set(5);
        monitor.tick(System.currentTimeMillis());
        long sequence = writer.reader().changeSequence();
        monitor.tick(System.currentTimeMillis());
        assertEquals(sequence, writer.reader().changeSequence());
    }

    @Test
    void aTickThatMovedOnlyItsOwnCountersSavesNoCopy() throws IOException {
        monitor.tick(System.currentTimeMillis());
        long saved = writer.reader().changeSequence();
        requests.set(40);
        monitor.tick(System.currentTimeMillis());
        assertNotEquals(saved, writer.reader().changeSequence(), "the counters moved the change sequence");

        truncateByAnotherProcess();
        FlagFileKeeper.Event restored = keeper.check(System.currentTimeMillis());

        assertTrue(restored.message().contains("serving its last known values (change sequence " + saved + ","),
                restored.message());
    }

    @Test
    void aFlagWrittenWhileTheCountersMoveIsAFlipAndSaved() throws IOException {
        monitor.tick(System.currentTimeMillis());
        requests.set(40);
        monitor.tick(System.currentTimeMillis());
        requests.set(80);
        writer.set(flags.maint, 1);
        monitor.tick(System.currentTimeMillis());
        long saved = writer.reader().changeSequence();

        assertEquals(1, flips.size());
        assertEquals("maint", flips.get(0).name());
        truncateByAnotherProcess();
        assertTrue(keeper.check(System.currentTimeMillis()).message().contains("(change sequence " + saved + ","));
        assertEquals(1, flags.maint.get());
    }

    @Test
    void expiredValueIsRevertedAndTheFlipSaysSo() {
        long now = System.currentTimeMillis();
        writer.setUntil(flags.maint, 1, now + 2_000);
        monitor.tick(now);
        assertEquals(1, flags.maint.get(), "not yet due");

        monitor.tick(now + 2_000);
        assertEquals(0, flags.maint.get());
        assertEquals(2, flips.size());
        Flip revert = flips.get(1);
        assertTrue(revert.expired());
        assertEquals(1, revert.from());
        assertEquals(0, revert.to());
        assertTrue(revert.describe().contains("expiry reverted it"));
    }

    @Test
    void anExpiryRevertIsRecordedInTheAuditLogAsTheDaemons() {
        long now = System.currentTimeMillis();
        writer.setUntil(flags.maint, 1, now + 1_000);

        monitor.tick(now + 1_000);

        List<String> lines = AuditLog.tail(AuditLog.pathFor(file.path()), 5);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("time=\\S+Z user=\\S+ uid=\\d+ pid=" + ProcessHandle.current().pid()
                + " op=revert flag=maint old=1 new=0 expires=- reason=\"--for expired\""), lines.get(0));
    }

    @Test
    void aPlainSetCancelsThePendingExpiry() {
        long now = System.currentTimeMillis();
        writer.setUntil(flags.maint, 1, now + 1_000);
        writer.set(flags.maint, 2);
        monitor.tick(now + 5_000);
        assertEquals(2, flags.maint.get());
        assertTrue(flips.stream().noneMatch(Flip::expired));
    }

    @Test
    void heartbeatIsWrittenEveryTick() {
        long lockedAt = writer.reader().daemon().heartbeatAtMillis();
        long t0;
        while ((t0 = System.currentTimeMillis()) <= lockedAt) {
            Thread.onSpinWait(); // at most a millisecond: the tick must write a later time than the lock did
        }
        monitor.tick(t0);
        assertTrue(writer.reader().daemon().heartbeatAtMillis() >= t0);
        assertEquals(ProcessHandle.current().pid(), writer.reader().daemon().pid());
        assertTrue(writer.reader().daemon().alive(System.currentTimeMillis()));
    }

    @Test
    void aFlagDeletedAndCreatedAgainByAnotherProcessIsFollowedWithinATick() {
        writer.set(flags.maint, 1);
        monitor.tick(System.currentTimeMillis());
        try (FlagFile flagctl = FlagFile.openReadWrite(file.path())) {
            FlagWriter other = flagctl.writer();
            other.delete("maint");
            other.set(other.define("foo", FlagKind.FLAG, 0).handle(), 1);
            other.set(other.define("maint", FlagKind.FLAG, 0).handle(), 1);
            other.set(other.reader().handle("foo"), 0);
        }
        assertEquals(0, flags.maint.get(), "absent until the tick re-binds it");

        monitor.tick(System.currentTimeMillis());

        assertEquals(1, flags.maint.get());
        assertEquals(List.of("foo", "maint"), definitions.stream().map(DefinitionChange::name).sorted().toList());
        DefinitionChange maint = definitions.stream().filter(d -> d.name().equals("maint")).findFirst().orElseThrow();
        assertTrue(maint.warns());
        assertTrue(maint.describe().startsWith("flag maint deleted and created again (slot "), maint.describe());
    }

    @Test
    void aDeletedFlagIsReportedOnceAndReadsAbsent() {
        writer.set(flags.maint, 1);
        monitor.tick(System.currentTimeMillis());
        try (FlagFile flagctl = FlagFile.openReadWrite(file.path())) {
            flagctl.writer().delete("maint");
        }

        monitor.tick(System.currentTimeMillis());
        monitor.tick(System.currentTimeMillis());

        assertEquals(0, flags.maint.get());
        assertEquals(1, definitions.size());
        assertTrue(definitions.get(0).describe().startsWith("flag maint deleted (it was 1 in slot 0); maintd reads it as absent"),
                definitions.get(0).describe());
    }

    @Test
    void aCounterSomeoneDeletedIsDefinedAgainOnTheNextTick() {
        inflight.set(4);
        monitor.tick(System.currentTimeMillis());
        try (FlagFile flagctl = FlagFile.openReadWrite(file.path())) {
            flagctl.writer().delete("inflight");
            inflight.set(5);

            monitor.tick(System.currentTimeMillis());

            FlagSnapshot again = flagctl.reader().snapshot(flagctl.reader().handle("inflight")).orElseThrow();
            assertEquals(FlagKind.COUNTER, again.kind());
            assertEquals(5, again.value());
        }
        assertEquals(5, flags.inflight.get());
        assertEquals(1, definitions.size());
        assertTrue(definitions.get(0).describe().startsWith("counter inflight deleted and created again"),
                definitions.get(0).describe());
    }

    @Test
    void anotherPartsCounterIsWrittenOnTheTickAndDefinedAgainWhenDeleted() {
        FlagHandle backendsUp = writer.define(StandardFlags.BACKENDS_UP, FlagKind.COUNTER, 0).handle();
        AtomicLong counted = new AtomicLong(2);
        monitor.publishAlso(out -> out.accept(backendsUp, counted.get()));

        monitor.tick(System.currentTimeMillis());
        assertEquals(2, backendsUp.get());
        try (FlagFile flagctl = FlagFile.openReadWrite(file.path())) {
            flagctl.writer().delete(StandardFlags.BACKENDS_UP);
            counted.set(1);

            monitor.tick(System.currentTimeMillis());

            FlagSnapshot again = flagctl.reader().snapshot(flagctl.reader().handle(StandardFlags.BACKENDS_UP)).orElseThrow();
            assertEquals(FlagKind.COUNTER, again.kind());
            assertEquals(1, again.value());
        }
    }

    private void truncateByAnotherProcess() throws IOException {
        try (FileChannel other = FileChannel.open(file.path(), StandardOpenOption.WRITE)) {
            other.truncate(0);
        }
    }
}
