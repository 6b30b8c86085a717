package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Option;
import io.maintd.command.Parameter;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagWriter;
import io.maintd.flagfile.IsoTime;
import io.maintd.flagfile.ScheduledWindow;
import io.maintd.json.JsonObject;
import java.util.Optional;

/**
 * {@code flagctl set NAME VALUE [--for DURATION] [--at WHEN]}: the operator's switch, now, or
 * as a window scheduled for later ({@code --at} with {@code --for}), which the daemon starts.
 */
final class SetCommand implements Command {
    static final Option FOR = Option.valued("for", (char) 0, "DURATION",
            "revert to the previous value after this long (500ms, 30s, 10m, 2h, 1d); the daemon enforces it")
            .completes(GlobalOptions.DURATIONS);
    static final Option AT = Option.valued("at", (char) 0, "WHEN",
            "schedule a window starting then (ISO-8601 with an offset, or +30m); needs --for");

    private static final CommandSpec SPEC = CommandSpec.command("set", "Set a flag; prints 'NAME: OLD -> NEW'.")
            .parameter(FlagNameParameters.WRITABLE)
            .parameter(Parameter.required("VALUE", "a signed 64-bit integer"))
            .option(FOR).option(AT).option(AuditedWrite.REASON)
            .detail("A plain set cancels a pending --for expiry on the flag.")
            .detail("--at WHEN --for D schedules a window instead: from WHEN the flag is VALUE, after D it reverts.")
            .detail("WHEN is ISO-8601 with an offset (2026-12-01T02:00Z, 2026-12-01T03:00+01:00) or +D (+30m).")
            .detail("The daemon starts it, also late: one that comes up inside the window enters it at once,")
            .detail("one that comes up after it never does. A second --at on the flag replaces its window;")
            .detail("flagctl cancel NAME drops it. list and status show windows. Needs a layout v2 file")
            .detail("(flagctl init --upgrade).");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        String name = in.args.positional(0);
        long value = in.integer(1, "value");
        long forMillis = in.args.has(FOR) ? ArgumentValues.durationMillis("--for", in.args.value(FOR)) : 0;
        if (forMillis > Long.MAX_VALUE / 2) {
            throw CliFailure.usage("--for " + in.args.value(FOR) + " ends after the end of time");
        }
        if (in.args.has(AT)) {
            return schedule(in, name, value, forMillis);
        }
        long old;
        long revertsTo = 0;
        long expiresAt = 0;
        try (AuditedWrite write = AuditedWrite.on(in, name)) {
            FlagHandle flag = write.flag;
            if (forMillis == 0) {
                old = write.writer.set(flag, value);
            } else {
                expiresAt = System.currentTimeMillis() + forMillis;
                FlagWriter.TimedSet timed = write.writer.setUntil(flag, value, expiresAt);
                old = timed.previous();
                // Over a pending --for this is the value from before the first window, not `old`.
                revertsTo = timed.revertsTo();
            }
            write.record("set", name, Long.toString(old), Long.toString(value), expiresAt);
            if (expiresAt != 0) {
                SnapshotText.warnIfUnenforced(in, write.writer.reader(), System.currentTimeMillis());
            }
        }
        if (in.json) {
            JsonObject j = new JsonObject().put("name", name).put("old", old).put("new", value);
            in.out.println(expiresAt == 0 ? j.put("expires_at", (String) null)
                    : j.put("expires_at", IsoTime.format(expiresAt)).put("reverts_to", revertsTo));
        } else {
            String until = expiresAt == 0 ? ""
                    : " until " + IsoTime.format(expiresAt) + " (" + DurationText.format(forMillis) + "), then " + revertsTo;
            in.out.println(name + ": " + old + " -> " + value + until);
        }
        return ExitCode.OK.code;
    }

    private static int schedule(Invocation in, String name, long value, long forMillis) {
        if (forMillis == 0) {
            throw CliFailure.usage("--at needs --for: a window ends (e.g. --at " + in.args.value(AT) + " --for 1h)");
        }
        long now = System.currentTimeMillis();
        long startsAt = ArgumentValues.atMillis("--at", in.args.value(AT), now);
        if (startsAt > Long.MAX_VALUE - forMillis) {
            throw CliFailure.usage("--at " + in.args.value(AT) + " --for " + in.args.value(FOR) + " ends after the end of time");
        }
        long endsAt = startsAt + forMillis;
        Optional<ScheduledWindow> replaced;
        try (AuditedWrite write = AuditedWrite.on(in, name)) {
            replaced = write.writer.schedule(write.flag, value, startsAt, endsAt);
            write.record("schedule", name, "-", Long.toString(value), endsAt, "at", IsoTime.format(startsAt));
            SnapshotText.warnIfUnenforced(in, write.writer.reader(), now);
        }
        if (in.json) {
            in.out.println(SnapshotText.json(new ScheduledWindow(name, value, startsAt, endsAt), now)
                    .raw("replaced", replaced.map(w -> SnapshotText.json(w, now).toString()).orElse("null")));
        } else {
            in.out.println(name + ": " + value + " from " + IsoTime.format(startsAt) + " (in " + DurationText.format(startsAt - now)
                    + ") until " + IsoTime.format(endsAt) + " (" + DurationText.format(forMillis) + "), then back"
                    + replaced.map(w -> "; replaces the window " + SnapshotText.window(w, now)).orElse(""));
        }
        return ExitCode.OK.code;
    }
}
