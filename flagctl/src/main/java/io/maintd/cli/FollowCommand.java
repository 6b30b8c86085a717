package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Completion;
import io.maintd.command.Option;
import io.maintd.command.Parameter;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.flagfile.FlagWriter;
import io.maintd.flagfile.IsoTime;
import io.maintd.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * {@code flagctl follow PROFILE}: a load monitor that steers {@code weight} or {@code shed} from
 * a fact the daemon publishes, until stopped. Safe by construction: every write carries an
 * expiry ({@code --for}) renewed while the flag is held away from rest, so whatever stops the
 * monitor (SIGKILL, OOM, a host hang) the daemon puts the flag back by itself; it never writes
 * on a fact the daemon cannot tell (-1) or while no daemon is alive to publish facts; and it
 * moves the flag only within [rest, limit], one step a tick, back only after the hold.
 */
final class FollowCommand implements Command {
    static final Option ON = Option.valued("on", (char) 0, "N", "step toward the limit while the fact is at least N");
    static final Option OFF = Option.valued("off", (char) 0, "N", "step back toward rest while the fact is at most N (below --on)");
    static final Option LIMIT = Option.valued("limit", (char) 0, "N", "never move the flag past N");
    static final Option STEP = Option.valued("step", (char) 0, "N", "change the flag by at most N per tick");
    static final Option HOLD = Option.valued("hold", (char) 0, "DURATION",
            "step back only this long after the fact was last at or above --on");
    static final Option EVERY = Option.valued("every", (char) 0, "DURATION", "read the fact this often");
    static final Option FOR = Option.valued("for", (char) 0, "DURATION",
            "expiry of every write (at least 3 x --every); the daemon reverts the flag if the monitor stops renewing it");
    static final Option FACT = Option.valued("fact", (char) 0, "NAME", "follow this counter instead of the profile's")
            .completes(Completion.query("list", "--names"));
    static final Option COUNT = Option.valued("count", 'c', "N", "exit 0 after N writes (default: run until stopped)");

    private static final CommandSpec SPEC = CommandSpec.command("follow", "Steer weight or shed from a load fact until stopped.")
            .parameter(Parameter.required("PROFILE", "weight (from cpu_busy) or shed (from latency_p99_ms)")
                    .completes(Completion.words("weight", "shed")))
            .option(ON).option(OFF).option(LIMIT).option(STEP).option(HOLD).option(EVERY).option(FOR).option(FACT).option(COUNT)
            .detail(profileLine(FollowProfile.WEIGHT) + ".")
            .detail(profileLine(FollowProfile.SHED) + ".")
            .detail("Every write is a set --for, renewed at half time while the flag is away from rest,")
            .detail("and goes to the audit log as op=follow with the fact that drove it as the reason.")
            .detail("A value outside [rest, limit] is an operator's and left alone. Prints one line per write;")
            .detail("stop it with any signal: the flag returns to its value from before the monitor when --for runs out.");

    private static String profileLine(FollowProfile p) {
        return p.name() + ": " + p.flag() + " " + p.rest() + ".." + p.limit() + " from " + p.fact() + ", on " + p.on()
                + ", off " + p.off() + ", step " + p.step() + ", hold " + DurationText.format(p.holdMillis()) + ", every "
                + DurationText.format(p.everyMillis()) + ", for " + DurationText.format(p.forMillis());
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        FollowProfile profile = profile(in);
        long limit = in.args.has(COUNT) ? ArgumentValues.count("--count", in.args.value(COUNT), 1, Integer.MAX_VALUE) : 0;
        try (AuditedWrite write = AuditedWrite.on(in, profile.flag())) {
            FlagReader reader = write.writer.reader();
            FlagHandle fact = FlagLookup.existing(reader, profile.fact());
            Follower follower = new Follower(profile);
            in.err.println("following " + profile.fact() + " into " + profile.flag() + " in " + in.file + " ("
                    + profileLine(profile) + "); stop with Ctrl-C");
            in.err.flush();
            long writes = 0;
            boolean daemonAlive = true;
            long next = System.nanoTime();
            while (true) {
                long now = System.currentTimeMillis();
                reader.refreshHandles();
                boolean alive = reader.daemon().alive(now);
                if (alive != daemonAlive) {
                    daemonAlive = alive;
                    in.warn(alive ? "the daemon is alive again; following " + profile.fact()
                            : "no maintd daemon is alive on " + in.file + ": its facts are frozen, so nothing is written");
                }
                if (alive && apply(in, write, profile, follower, now, fact.get())) {
                    writes++;
                    if (in.outputFailed() || (limit > 0 && writes >= limit)) {
                        return ExitCode.OK.code;
                    }
                }
                // A late tick (a pause, a stopped process) is not caught up with a burst: that
                // would take several steps at once, which the step limit exists to prevent.
                next = Math.max(next + TimeUnit.MILLISECONDS.toNanos(profile.everyMillis()), System.nanoTime());
                try {
                    TimeUnit.NANOSECONDS.sleep(next - System.nanoTime());
                } catch (InterruptedException e) {
                    return ExitCode.INTERRUPTED;
                }
            }
        }
    }

    /** One tick's decision and, when it writes, the write, its audit line and its output line. */
    private static boolean apply(Invocation in, AuditedWrite write, FollowProfile profile, Follower follower, long now,
                                 long factValue) {
        FlagSnapshot flag = write.writer.reader().snapshot(write.flag).orElseThrow(
                () -> new CliFailure(ExitCode.UNKNOWN_FLAG, "flag \"" + profile.flag() + "\" was deleted while following"));
        Follower.Move move = follower.decide(now, factValue, flag.value(), flag.expires() ? flag.expiresAtMillis() : 0);
        if (!move.writes()) {
            return false;
        }
        long expiresAt = now + profile.forMillis();
        FlagWriter.TimedSet set = write.writer.setUntil(write.flag, move.value(), expiresAt);
        String reason = "flagctl follow " + profile.name() + ": " + move.reason();
        write.recordBecause(reason, "follow", profile.flag(), Long.toString(set.previous()), Long.toString(move.value()), expiresAt);
        if (in.json) {
            in.out.println(new JsonObject().put("time", IsoTime.format(now)).put("name", profile.flag())
                    .put("old", set.previous()).put("new", move.value()).put("expires_at", IsoTime.format(expiresAt))
                    .put("reverts_to", set.revertsTo()).put("fact", profile.fact()).put("fact_value", factValue)
                    .put("reason", move.reason()));
        } else {
            in.out.println(IsoTime.format(now) + " " + profile.flag() + " " + set.previous() + " -> " + move.value()
                    + " until " + IsoTime.format(expiresAt) + " (" + move.reason() + ")");
        }
        in.out.flush();
        return true;
    }

    private static FollowProfile profile(Invocation in) {
        String name = in.args.positional(0);
        FollowProfile base = FollowProfile.ALL.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> CliFailure.usage("no profile \"" + name + "\"; the profiles are weight and shed"));
        FollowProfile p = base.with(
                number(in, ON, base.on()), number(in, OFF, base.off()), number(in, LIMIT, base.limit()),
                number(in, STEP, base.step()), millis(in, HOLD, base.holdMillis()), millis(in, EVERY, base.everyMillis()),
                millis(in, FOR, base.forMillis()), in.args.has(FACT) ? in.args.value(FACT) : base.fact());
        String problem = p.problem();
        if (problem != null) {
            throw CliFailure.usage(problem);
        }
        return p;
    }

    private static long number(Invocation in, Option option, long otherwise) {
        return in.args.has(option) ? ArgumentValues.integer("--" + option.name, in.args.value(option)) : otherwise;
    }

    private static long millis(Invocation in, Option option, long otherwise) {
        return in.args.has(option) ? ArgumentValues.durationMillis("--" + option.name, in.args.value(option)) : otherwise;
    }
}
