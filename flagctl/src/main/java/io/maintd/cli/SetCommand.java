package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Option;
import io.maintd.command.Parameter;
import io.maintd.flagfile.DurationText;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.JsonObject;

/** {@code flagctl set NAME VALUE [--for DURATION]}: the operator's switch. */
final class SetCommand implements Command {
    static final Option FOR = Option.valued("for", (char) 0, "DURATION",
            "revert to the previous value after this long (500ms, 30s, 10m, 2h, 1d); the daemon enforces it")
            .completes(GlobalOptions.DURATIONS);

    private static final CommandSpec SPEC = CommandSpec.command("set", "Set a flag; prints 'NAME: OLD -> NEW'.")
            .parameter(FlagNameParameters.WRITABLE)
            .parameter(Parameter.required("VALUE", "a signed 64-bit integer"))
            .option(FOR).option(AuditedWrite.REASON)
            .detail("A plain set cancels a pending --for expiry on the flag.");

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
        long old;
        long expiresAt = 0;
        try (AuditedWrite write = AuditedWrite.on(in, name)) {
            FlagHandle flag = write.flag;
            if (forMillis == 0) {
                old = write.writer.set(flag, value);
            } else {
                expiresAt = System.currentTimeMillis() + forMillis;
                old = write.writer.setUntil(flag, value, expiresAt);
            }
            write.record("set", name, Long.toString(old), Long.toString(value), expiresAt);
            if (expiresAt != 0) {
                SnapshotText.warnIfUnenforced(in, write.writer.reader(), System.currentTimeMillis());
            }
        }
        if (in.json) {
            JsonObject j = new JsonObject().put("name", name).put("old", old).put("new", value);
            in.out.println(expiresAt == 0 ? j.put("expires_at", (String) null)
                    : j.put("expires_at", IsoTime.format(expiresAt)).put("reverts_to", old));
        } else {
            String until = expiresAt == 0 ? ""
                    : " until " + IsoTime.format(expiresAt) + " (" + DurationText.format(forMillis) + "), then " + old;
            in.out.println(name + ": " + old + " -> " + value + until);
        }
        return ExitCode.OK.code;
    }
}
