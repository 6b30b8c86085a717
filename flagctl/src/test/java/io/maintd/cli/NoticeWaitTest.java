package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.DaemonLock;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagWriter;
import io.maintd.flagfile.ModeNotice;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wait noticed} and {@code wait drained} against a stand-in daemon: this JVM holds the
 * daemon lock and publishes the counters the way the daemon's monitor does ({@code noticed}
 * before {@code mode}).
 */
@Timeout(60)
class NoticeWaitTest {
    @TempDir
    Path dir;
    private Path file;
    private FlagFile daemonFile;
    private FlagWriter writer;
    private DaemonLock daemon;

    @BeforeEach
    void startDaemon() {
        file = FlagFiles.withMaintAndDrain(dir);
        daemonFile = FlagFile.openReadWrite(file);
        writer = daemonFile.writer();
        daemon = writer.lockForDaemon();
        for (String counter : new String[] {ModeNotice.MODE, ModeNotice.NOTICED, ModeNotice.BALANCERS, "inflight", "conns"}) {
            writer.define(counter, FlagKind.COUNTER, 0);
        }
        daemon.heartbeat();
    }

    @AfterEach
    void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
        daemonFile.close();
    }

    /** One monitor tick's worth of publishing. */
    private void tick(long mode, long noticed, long balancers) {
        daemon.heartbeat();
        daemon.publish(writer.reader().handle(ModeNotice.NOTICED), noticed);
        daemon.publish(writer.reader().handle(ModeNotice.MODE), mode);
        daemon.publish(writer.reader().handle(ModeNotice.BALANCERS), balancers);
    }

    private void publish(String counter, long value) {
        daemon.heartbeat();
        daemon.publish(writer.reader().handle(counter), value);
    }

    @Test
    void noticedHoldsWhenTheDaemonAnswersTheModeTheFlagsAskAndEveryBalancerWasTold() {
        FlagFiles.expectOk(CliRun.on(file, "set", "drain", "1"));
        tick(ModeNotice.DRAIN, ModeNotice.NOTICED_YES, 2);
        CliRun run = CliRun.on(file, "wait", "noticed", "--timeout", "5s");
        assertEquals(0, run.code, run::toString);
        assertTrue(run.out.startsWith("noticed: 2 balancer(s) told drain after "), run.out);
    }

    /** What makes it safe right after a set: the daemon's last "noticed" was about the old mode. */
    @Test
    void aWaitRightAfterASetDoesNotPassOnTheOldModesNotice() {
        tick(ModeNotice.READY, ModeNotice.NOTICED_YES, 1);
        FlagFiles.expectOk(CliRun.on(file, "set", "drain", "1"));
        CliRun run = CliRun.on(file, "wait", "noticed", "--timeout", "300ms");
        assertEquals(7, run.code, run::toString);
        assertTrue(run.err.contains("timed out after 300ms waiting for the load balancers to notice drain"
                + " (1 probing, daemon answers ready, noticed 1)"), run::toString);
    }

    @Test
    void itReturnsOnceTheDaemonHasToldEveryBalancerTheNewMode() throws Exception {
        tick(ModeNotice.READY, ModeNotice.NOTICED_YES, 1);
        FlagFiles.expectOk(CliRun.on(file, "set", "maint", "1"));
        BackgroundRun wait = BackgroundRun.start("--file", file.toString(), "wait", "noticed", "--timeout", "30s");
        wait.awaitStderr("waiting for the load balancers to notice maint (1 probing, timeout 30s)");
        tick(ModeNotice.MAINT, ModeNotice.PENDING, 1);
        tick(ModeNotice.MAINT, ModeNotice.NOTICED_YES, 1);
        assertEquals(0, wait.exitCode(), wait::toString);
        assertTrue(wait.stdout().startsWith("noticed: 1 balancer(s) told maint after "), wait::toString);
    }

    @Test
    void withNoBalancerProbingItSaysSoAndExits9() {
        tick(ModeNotice.READY, ModeNotice.NO_BALANCER, 0);
        CliRun run = CliRun.on(file, "wait", "noticed", "--timeout", "30s");
        assertEquals(13, run.code, run::toString);
        assertTrue(run.err.contains("no load balancer has probed the daemon (agent port or /healthz) within its window"),
                run::toString);
    }

    @Test
    void withNoDaemonNothingCanNoticeAndItExits9() {
        tick(ModeNotice.READY, ModeNotice.NOTICED_YES, 1);
        daemon.close();
        daemon = null;
        CliRun run = CliRun.on(file, "wait", "noticed", "--timeout", "30s");
        assertEquals(13, run.code, run::toString);
        assertTrue(run.err.contains("no maintd daemon is alive on " + file), run::toString);
    }

    @Test
    void drainedWaitsForNoticedThenInflightThenWithConnsConnections() throws Exception {
        FlagFiles.expectOk(CliRun.on(file, "set", "drain", "1"));
        tick(ModeNotice.DRAIN, ModeNotice.PENDING, 1);
        publish("inflight", 2);
        publish("conns", 3);
        BackgroundRun wait = BackgroundRun.start("--file", file.toString(), "wait", "drained", "--conns", "--timeout", "30s");
        wait.awaitStderr("waiting for the load balancers to notice drain");
        tick(ModeNotice.DRAIN, ModeNotice.NOTICED_YES, 1);
        wait.awaitStderr("waiting for inflight <= 0 (now 2), timeout 30s");
        publish("inflight", 0);
        wait.awaitStderr("waiting for conns <= 0 (now 3), timeout 30s");
        publish("conns", 0);
        assertEquals(0, wait.exitCode(), wait::toString);
        assertTrue(wait.stdout().contains("drained (noticed, inflight 0, conns 0) after "), wait::toString);
    }

    @Test
    void drainedWithoutConnsDoesNotWaitForConnections() {
        tick(ModeNotice.READY, ModeNotice.NOTICED_YES, 1);
        publish("conns", 5);
        CliRun run = CliRun.on(file, "wait", "drained", "--timeout", "5s");
        assertEquals(0, run.code, run::toString);
        assertTrue(run.out.contains("drained (noticed, inflight 0) after "), run.out);
    }

    @Test
    void connsBelongsToDrained() {
        CliRun run = CliRun.on(file, "wait", "maint", "--le", "0", "--conns");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("--conns goes with 'wait drained'"), run::toString);
    }

    @Test
    void noticedWithAConditionIsTheCounterItself() {
        tick(ModeNotice.READY, ModeNotice.NO_BALANCER, 0);
        CliRun run = CliRun.on(file, "wait", "noticed", "--le", "0");
        assertEquals(0, run.code, run::toString);
    }

    @Test
    void statusSaysWhetherTheBalancersNoticed() {
        tick(ModeNotice.DRAIN, ModeNotice.PENDING, 2);
        assertTrue(CliRun.on(file, "status").out.contains("noticed:  not yet (2 balancer(s) probing) (the daemon answers drain)\n"));
        tick(ModeNotice.DRAIN, ModeNotice.NOTICED_YES, 2);
        assertTrue(CliRun.on(file, "status").out.contains("noticed:  yes, by 2 balancer(s) (the daemon answers drain)\n"));
        tick(ModeNotice.DRAIN, ModeNotice.NO_BALANCER, 0);
        CliRun json = CliRun.on(file, "--json", "status");
        assertTrue(json.out.contains("\"balancers\":{\"noticed\":\"no-balancer\",\"balancers\":0,\"daemon_mode\":\"drain\"}"),
                json.out);
    }
}
