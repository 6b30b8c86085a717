package io.maintd.cli;

import io.maintd.flagfile.ChangeWatcher;
import io.maintd.flagfile.DurationText;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * {@code flagctl wait NAME --le N}: blocks until a flag satisfies a condition. What replaces
 * {@code sleep 60} in a drain script: {@code flagctl wait inflight --le 0 --timeout 60s}.
 */
final class WaitCommand implements Command {
    static final Option EQ = Option.valued("eq", (char) 0, "N", "wait until the value equals N");
    static final Option LE = Option.valued("le", (char) 0, "N", "wait until the value is at most N");
    static final Option GE = Option.valued("ge", (char) 0, "N", "wait until the value is at least N");
    static final Option TIMEOUT = Option.valued("timeout", 't', "DURATION", "give up after this long (default: wait forever)");

    /** Re-check at least this often, so an interrupt or the timeout is noticed promptly. */
    private static final long PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final CommandSpec SPEC = CommandSpec.command("wait", "Wait until a flag satisfies a condition.")
            .parameter(Parameter.required("NAME", "a flag or a daemon counter"))
            .option(EQ).option(LE).option(GE).option(TIMEOUT)
            .detail("Give exactly one of --eq, --le, --ge. Exits 0 as soon as the condition holds,")
            .detail("7 when the timeout passes first, " + ExitCode.INTERRUPTED + " on Ctrl-C.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        String name = in.args.positional(0);
        Option condition = condition(in.args);
        long target = ArgumentValues.integer("--" + condition.name, in.args.value(condition));
        String op = condition == EQ ? "==" : condition == LE ? "<=" : ">=";
        long timeoutNanos = in.args.has(TIMEOUT)
                ? TimeUnit.MILLISECONDS.toNanos(ArgumentValues.durationMillis("--timeout", in.args.value(TIMEOUT)))
                : Long.MAX_VALUE;
        long started = System.nanoTime();
        try (FlagFile file = in.openForReading()) {
            FlagReader reader = file.reader();
            FlagHandle flag = FlagLookup.existing(reader, name);
            ChangeWatcher watcher = reader.watcher();
            // Sequence before value: a write after the value read moves the sequence past `seen`.
            long seen = reader.changeSequence();
            long value = flag.get();
            if (!holds(condition, value, target)) {
                if (flag.kind() == FlagKind.COUNTER && !reader.daemon().alive(System.currentTimeMillis())) {
                    in.warn("no maintd daemon is alive on " + in.file + ", so counter " + name + " is not being updated");
                }
                in.err.println("waiting for " + name + " " + op + " " + target + " (now " + value + ")"
                        + (in.args.has(TIMEOUT) ? ", timeout " + in.args.value(TIMEOUT) : ""));
                in.err.flush();
            }
            while (!holds(condition, value, target)) {
                long left = timeoutNanos - (System.nanoTime() - started);
                if (left <= 0) {
                    report(in, name, op, target, value, started, false);
                    throw new CliFailure(ExitCode.TIMED_OUT, "timed out after " + in.args.value(TIMEOUT) + " waiting for "
                            + name + " " + op + " " + target + " (it is " + value + ")");
                }
                if (Thread.currentThread().isInterrupted()) {
                    return ExitCode.INTERRUPTED;
                }
                long next = watcher.awaitChange(seen, Math.min(left, PARK_NANOS));
                if (next != seen) {
                    seen = next;
                    if (!flag.isLive()) {
                        throw new CliFailure(ExitCode.UNKNOWN_FLAG, "flag \"" + name + "\" was deleted while waiting");
                    }
                    value = flag.get();
                }
            }
            report(in, name, op, target, value, started, true);
            return ExitCode.OK.code;
        }
    }

    private static Option condition(Arguments args) {
        Option chosen = null;
        for (Option o : new Option[] {EQ, LE, GE}) {
            if (args.has(o)) {
                if (chosen != null) {
                    throw CliFailure.usage("give only one of --eq, --le, --ge (got --" + chosen.name + " and --" + o.name + ")");
                }
                chosen = o;
            }
        }
        if (chosen == null) {
            throw CliFailure.usage("missing condition: give one of --eq N, --le N, --ge N; usage: " + SPEC.usage());
        }
        return chosen;
    }

    private static boolean holds(Option condition, long value, long target) {
        return condition == EQ ? value == target : condition == LE ? value <= target : value >= target;
    }

    private static void report(Invocation in, String name, String op, long target, long value, long started,
                               boolean satisfied) {
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (in.json) {
            in.out.println(new JsonObject().put("name", name).put("condition", op).put("target", target).put("value", value)
                    .put("satisfied", satisfied).put("waited_ms", waitedMillis));
        } else if (satisfied) {
            in.out.println(name + " = " + value + " (" + op + " " + target + ") after " + DurationText.format(waitedMillis));
        }
    }
}
