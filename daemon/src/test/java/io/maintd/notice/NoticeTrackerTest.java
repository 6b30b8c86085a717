package io.maintd.notice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.ModeNotice;
import io.maintd.flagfile.Mode;
import io.maintd.lifecycle.ModeFlagsFixture;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Noticed" from the answers recorded, on explicit clock values: no sleeping, no timing. */
class NoticeTrackerTest {
    private static final long WINDOW = 60_000;
    private static final long START = 1_000_000;

    @TempDir
    Path dir;
    private ModeFlagsFixture flags;
    private final ProbeLog probes = new ProbeLog();
    private NoticeTracker tracker;
    private InetAddress lb1;
    private InetAddress lb2;

    @BeforeEach
    void start() throws Exception {
        flags = ModeFlagsFixture.create(dir);
        tracker = new NoticeTracker(flags.modes(), probes, () -> WINDOW, START);
        lb1 = InetAddress.getByName("10.0.0.1");
        lb2 = InetAddress.getByName("10.0.0.2");
    }

    @AfterEach
    void close() {
        flags.close();
    }

    private void agentAnswers(InetAddress peer, long at) {
        probes.answered(ProbeLog.Via.AGENT, peer, flags.modes().mode(), at);
    }

    @Test
    void nobodyProbingIsPendingForAWindowAfterStartThenNoBalancer() {
        assertEquals(ModeNotice.PENDING, tracker.evaluate(START + WINDOW - 1).state());
        assertEquals(ModeNotice.NO_BALANCER, tracker.evaluate(START + WINDOW).state());
    }

    @Test
    void aBalancerAnsweredSinceTheStartHasNoticed() {
        agentAnswers(lb1, START + 10);
        NoticeTracker.Notice notice = tracker.evaluate(START + 20);
        assertEquals(ModeNotice.NOTICED_YES, notice.state());
        assertEquals(1, notice.peers().size());
        assertEquals(ModeNotice.READY, notice.modeCode());
    }

    @Test
    void aChangeOfModeIsPendingUntilEveryBalancerWasAnsweredTheNewMode() {
        agentAnswers(lb1, START + 10);
        agentAnswers(lb2, START + 10);
        assertEquals(ModeNotice.NOTICED_YES, tracker.evaluate(START + 20).state());
        flags.set("drain", 1);
        NoticeTracker.Notice changed = tracker.evaluate(START + 100);
        assertEquals(ModeNotice.PENDING, changed.state());
        assertEquals(Mode.DRAIN, changed.mode());
        assertEquals(START + 100, changed.changedAtMillis());
        agentAnswers(lb1, START + 150);
        assertEquals(ModeNotice.PENDING, tracker.evaluate(START + 200).state(), "lb2 has not been told");
        agentAnswers(lb2, START + 250);
        assertEquals(ModeNotice.NOTICED_YES, tracker.evaluate(START + 300).state());
    }

    @Test
    void anAnswerGivenBeforeTheChangeWasSeenDoesNotCount() {
        agentAnswers(lb1, START + 10);
        tracker.evaluate(START + 20);
        flags.set("maint", 1);
        agentAnswers(lb1, START + 90); // answered maint, but before the tick at 100 saw the change
        assertEquals(ModeNotice.PENDING, tracker.evaluate(START + 100).state());
        agentAnswers(lb1, START + 110);
        assertEquals(ModeNotice.NOTICED_YES, tracker.evaluate(START + 120).state());
    }

    @Test
    void aFlipThereAndBackBetweenTicksIsNoChange() {
        agentAnswers(lb1, START + 10);
        tracker.evaluate(START + 20);
        flags.set("drain", 1);
        flags.set("drain", 0);
        assertEquals(ModeNotice.NOTICED_YES, tracker.evaluate(START + 100).state(), "the balancer was told ready, and it is ready");
    }

    @Test
    void aBalancerSilentForAWindowNoLongerCounts() {
        agentAnswers(lb1, START + 10);
        agentAnswers(lb2, START + 10);
        tracker.evaluate(START + 20);
        flags.set("drain", 1);
        tracker.evaluate(START + 100);
        agentAnswers(lb1, START + 200);
        assertEquals(ModeNotice.PENDING, tracker.evaluate(START + 10 + WINDOW).state());
        NoticeTracker.Notice later = tracker.evaluate(START + 10 + WINDOW + 1);
        assertEquals(ModeNotice.NOTICED_YES, later.state(), "lb2 last probed a window ago: it is gone");
        assertEquals(1, later.peers().size());
    }

    @Test
    void theAgentPortAndHealthzOfOneAddressAreTwoBalancers() {
        probes.answered(ProbeLog.Via.AGENT, lb1, Mode.READY, START + 10);
        probes.answered(ProbeLog.Via.HEALTHZ, lb1, Mode.READY, START + 10);
        tracker.evaluate(START + 20);
        flags.set("drain", 1);
        tracker.evaluate(START + 100);
        probes.answered(ProbeLog.Via.AGENT, lb1, Mode.DRAIN, START + 150);
        NoticeTracker.Notice notice = tracker.evaluate(START + 200);
        assertEquals(ModeNotice.PENDING, notice.state());
        assertEquals(2, notice.peers().size());
        assertTrue(notice.json().toString().contains("{\"via\":\"healthz\",\"address\":\"10.0.0.1\","), notice.json().toString());
    }

    @Test
    void aShutdownIsAChangeOfMode() {
        agentAnswers(lb1, START + 10);
        tracker.evaluate(START + 20);
        flags.modes().beginShutdown();
        assertEquals(ModeNotice.PENDING, tracker.evaluate(START + 100).state());
        assertEquals(ModeNotice.DRAIN, tracker.evaluate(START + 100).modeCode());
    }

    @Test
    void aFloodOfNewPeersCannotPushOutTheBalancer() throws Exception {
        agentAnswers(lb1, START + 10);
        for (int i = 0; i < ProbeLog.MAX_PEERS + 100; i++) {
            probes.answered(ProbeLog.Via.HEALTHZ, InetAddress.getByAddress(new byte[] {10, 9, (byte) (i >> 8), (byte) i}),
                    Mode.READY, START + 20);
        }
        flags.set("drain", 1);
        tracker.evaluate(START + 100);
        agentAnswers(lb1, START + 150);
        NoticeTracker.Notice notice = tracker.evaluate(START + 200);
        assertEquals(ProbeLog.MAX_PEERS, notice.peers().size());
        assertTrue(notice.peers().stream().anyMatch(p -> p.probe().address().equals(lb1) && p.noticed()));
        assertFalse(notice.state() == ModeNotice.NOTICED_YES, "the flood peers were not told: never noticed early");
    }
}
