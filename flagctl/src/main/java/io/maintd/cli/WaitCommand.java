package io.maintd.cli;

import io.maintd.command.Arguments;
import io.maintd.command.CommandSpec;
import io.maintd.command.Option;
import io.maintd.flagfile.ChangeWatcher;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagReader;
import io.maintd.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * {@code flagctl wait}: blocks until something holds, instead of a {@code sleep} in a drain
 * script. Three forms:
 * <ul>
 *   <li>{@code wait NAME --le N} (or {@code --eq}, {@code --ge}): a flag or counter;</li>
 *   <li>{@code wait noticed}: every load balancer probing the daemon has been told its current
 *       mode ({@link NoticeCondition});</li>
 *   <li>{@code wait drained [--conns]}: noticed, then no request in flight, then (with
 *       {@code --conns}) no connection open.</li>
 * </ul>
 */
final class WaitCommand implements Command {
    static final Option EQ = Option.valued("eq", (char) 0, "N", "wait until the value equals N");
    static final Option LE = Option.valued("le", (char) 0, "N", "wait until the value is at most N");
    static final Option GE = Option.valued("ge", (char) 0, "N", "wait until the value is at least N");
    static final Option CONNS = Option.toggle("conns", (char) 0, "with drained: also wait for no open connection");
    static final Option TIMEOUT = Option.valued("timeout", 't', "DURATION", "give up after this long (default: wait forever)")
            .completes(GlobalOptions.DURATIONS);
    static final String NOTICED = "noticed";
    static final String DRAINED = "drained";

    /** Re-check at least this often, so an interrupt, the timeout or a dead daemon is noticed promptly. */
    static final long PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final CommandSpec SPEC = CommandSpec.command("wait", "Wait until a flag satisfies a condition, "
                    + "the load balancers noticed the mode, or the instance drained.")
            .parameter(FlagNameParameters.ANY)
            .option(EQ).option(LE).option(GE).option(CONNS).option(TIMEOUT)
            .detail("wait NAME: give exactly one of --eq, --le, --ge. NAME may also be noticed or drained:")
            .detail("wait noticed: until every load balancer that probed the daemon (agent port or /healthz)")
            .detail("  within its window (balancers.window, 1m) has been answered the current mode since it")
            .detail("  began; the mode is read from maint and drain, so it may follow a set at once.")
            .detail("wait drained [--conns]: noticed, then inflight 0, then with --conns conns 0.")
            .detail("Exits 0 as soon as it holds, 7 when the timeout passes first, " + ExitCode.NO_BALANCER.code
                    + " when nothing can notice")
            .detail("(no balancer probes the daemon, or no daemon runs), " + ExitCode.INTERRUPTED + " on Ctrl-C.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        String name = in.args.positional(0);
        Option condition = condition(in.args);
        boolean special = condition == null && (name.equals(NOTICED) || name.equals(DRAINED));
        if (in.args.has(CONNS) && !(special && name.equals(DRAINED))) {
            throw CliFailure.usage("--conns goes with 'wait drained'; usage: " + SPEC.usage(in.program));
        }
        if (condition == null && !special) {
            throw CliFailure.usage("missing condition: give one of --eq N, --le N, --ge N; usage: " + SPEC.usage(in.program));
        }
        long timeoutNanos = in.args.has(TIMEOUT)
                ? TimeUnit.MILLISECONDS.toNanos(ArgumentValues.durationMillis("--timeout", in.args.value(TIMEOUT)))
                : Long.MAX_VALUE;
        Deadline deadline = new Deadline(System.nanoTime(), timeoutNanos, in.args.value(TIMEOUT));
        try (FlagFile file = in.openForReading()) {
            FlagReader reader = file.reader();
            if (!special) {
                long target = ArgumentValues.integer("--" + condition.name, in.args.value(condition));
                return waitFor(in, reader, FlagLookup.existing(reader, name), condition, target, deadline, true);
            }
            NoticeCondition notice = new NoticeCondition(reader);
            int code = notice.await(in, deadline);
            if (code != ExitCode.OK.code || name.equals(NOTICED)) {
                return code;
            }
            code = waitFor(in, reader, FlagLookup.existing(reader, "inflight"), LE, 0, deadline, false);
            if (code == ExitCode.OK.code && in.args.has(CONNS)) {
                code = waitFor(in, reader, FlagLookup.existing(reader, "conns"), LE, 0, deadline, false);
            }
            if (code == ExitCode.OK.code) {
                report(in, DRAINED, deadline, "drained (" + (in.args.has(CONNS) ? "noticed, inflight 0, conns 0" : "noticed, inflight 0")
                        + ")");
            }
            return code;
        }
    }

    /** When the wait started and how long it may take in all; one for all phases of {@code drained}. */
    record Deadline(long startedNanos, long timeoutNanos, String text) {
        long leftNanos() {
            return timeoutNanos - (System.nanoTime() - startedNanos);
        }

        long waitedMillis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        }

        CliFailure timedOut(String waitingFor) {
            return new CliFailure(ExitCode.TIMED_OUT, "timed out after " + text + " waiting for " + waitingFor);
        }
    }

    /**
     * Parks on the file's change sequence until {@code flag op target}; with {@code last} it prints
     * the result as a one-flag wait does, otherwise it is one phase of {@code drained}.
     */
    private static int waitFor(Invocation in, FlagReader reader, FlagHandle flag, Option condition, long target,
                               Deadline deadline, boolean last) {
        String op = condition == EQ ? "==" : condition == LE ? "<=" : ">=";
        String name = flag.name();
        ChangeWatcher watcher = reader.watcher();
        // Sequence before value: a write after the value read moves the sequence past `seen`.
        long seen = reader.changeSequence();
        long value = flag.get();
        if (!holds(condition, value, target)) {
            if (flag.kind() == FlagKind.COUNTER && !reader.daemon().alive(System.currentTimeMillis())) {
                in.warn("no maintd daemon is alive on " + in.file + ", so counter " + name + " is not being updated");
            }
            in.err.println("waiting for " + name + " " + op + " " + target + " (now " + value + ")"
                    + (deadline.text() != null ? ", timeout " + deadline.text() : ""));
            in.err.flush();
        }
        while (!holds(condition, value, target)) {
            long left = deadline.leftNanos();
            if (left <= 0) {
                if (last) {
                    report(in, name, op, target, value, deadline, false);
                }
                throw deadline.timedOut(name + " " + op + " " + target + " (it is " + value + ")");
            }
            if (Thread.currentThread().isInterrupted()) {
                return ExitCode.INTERRUPTED;
            }
            long next = watcher.awaitChange(seen, Math.min(left, PARK_NANOS));
            if (next != seen) {
                seen = next;
                if (!flag.isPresent()) {
                    throw new CliFailure(ExitCode.UNKNOWN_FLAG, "flag \"" + name + "\" was deleted while waiting");
                }
                value = flag.get();
            }
        }
        if (last) {
            report(in, name, op, target, value, deadline, true);
        }
        return ExitCode.OK.code;
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
        return chosen;
    }

    private static boolean holds(Option condition, long value, long target) {
        return condition == EQ ? value == target : condition == LE ? value <= target : value >= target;
    }

    private static void report(Invocation in, String name, String op, long target, long value, Deadline deadline,
                               boolean satisfied) {
        if (in.json) {
            in.out.println(new JsonObject().put("name", name).put("condition", op).put("target", target).put("value", value)
                    .put("satisfied", satisfied).put("waited_ms", deadline.waitedMillis()));
        } else if (satisfied) {
            in.out.println(name + " = " + value + " (" + op + " " + target + ") after " + DurationText.format(deadline.waitedMillis()));
        }
    }

    /** The result line of {@code wait noticed} and {@code wait drained}. */
    static void report(Invocation in, String what, Deadline deadline, String text) {
        if (in.json) {
            in.out.println(new JsonObject().put("name", what).put("satisfied", true).put("waited_ms", deadline.waitedMillis()));
        } else {
            in.out.println(text + " after " + DurationText.format(deadline.waitedMillis()));
        }
    }
}
