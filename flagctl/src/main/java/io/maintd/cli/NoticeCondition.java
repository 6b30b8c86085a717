package io.maintd.cli;

import io.maintd.flagfile.ChangeWatcher;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.ModeNotice;
import java.util.Optional;

/**
 * {@code wait noticed}: the daemon's {@code noticed} counter says every balancer has been told,
 * about the mode the flags ask for now. The expected mode comes from {@code maint} and
 * {@code drain} (the mode rule in {@link ModeNotice}), not from the daemon, so a wait that starts
 * right after {@code flagctl set drain 1}, before the daemon's next tick has seen it, waits for the
 * new mode instead of passing on the old one's "noticed". The daemon publishes {@code noticed}
 * before {@code mode}, so reading {@code mode}, {@code noticed}, {@code mode} and seeing the same
 * mode twice ties the {@code noticed} read to that mode.
 */
final class NoticeCondition {
    private final FlagReader reader;
    private final FlagHandle mode;
    private final FlagHandle noticed;
    private final FlagHandle balancers;
    private final Optional<FlagHandle> maint;
    private final Optional<FlagHandle> drain;

    NoticeCondition(FlagReader reader) {
        this.reader = reader;
        this.mode = FlagLookup.existing(reader, ModeNotice.MODE);
        this.noticed = FlagLookup.existing(reader, ModeNotice.NOTICED);
        this.balancers = FlagLookup.existing(reader, ModeNotice.BALANCERS);
        this.maint = reader.find("maint");
        this.drain = reader.find("drain");
    }

    /** 0 once noticed; {@link ExitCode#NO_BALANCER} when nothing can notice; throws on timeout. */
    int await(Invocation in, WaitCommand.Deadline deadline) {
        ChangeWatcher watcher = reader.watcher();
        long seen = reader.changeSequence();
        boolean announced = false;
        while (true) {
            long expected = ModeNotice.modeOf(maint.map(FlagHandle::get).orElse(0L), drain.map(FlagHandle::get).orElse(0L));
            long before = mode.get();
            long state = noticed.get();
            boolean sameMode = before == expected && mode.get() == expected;
            if (!reader.daemon().alive(System.currentTimeMillis())) {
                throw new CliFailure(ExitCode.NO_BALANCER, "no maintd daemon is alive on " + in.file
                        + ": nothing answers the load balancers, so nothing can notice");
            }
            if (sameMode && state == ModeNotice.NOTICED_YES) {
                WaitCommand.report(in, WaitCommand.NOTICED, deadline, "noticed: " + balancers.get()
                        + " balancer(s) told " + ModeNotice.word(expected));
                return ExitCode.OK.code;
            }
            if (sameMode && state == ModeNotice.NO_BALANCER) {
                throw new CliFailure(ExitCode.NO_BALANCER, "no load balancer has probed the daemon (agent port or"
                        + " /healthz) within its window (balancers.window), so nothing can notice "
                        + ModeNotice.word(expected) + "; with no balancer in front, nothing needs to");
            }
            if (!announced) {
                in.err.println("waiting for the load balancers to notice " + ModeNotice.word(expected) + " ("
                        + balancers.get() + " probing" + (deadline.text() != null ? ", timeout " + deadline.text() : "") + ")");
                in.err.flush();
                announced = true;
            }
            long left = deadline.leftNanos();
            if (left <= 0) {
                throw deadline.timedOut("the load balancers to notice " + ModeNotice.word(expected) + " ("
                        + balancers.get() + " probing, daemon answers " + ModeNotice.word(mode.get()) + ", noticed "
                        + noticed.get() + ")");
            }
            if (Thread.currentThread().isInterrupted()) {
                return ExitCode.INTERRUPTED;
            }
            seen = watcher.awaitChange(seen, Math.min(left, WaitCommand.PARK_NANOS));
        }
    }
}
