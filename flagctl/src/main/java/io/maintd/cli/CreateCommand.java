package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Option;
import io.maintd.command.Parameter;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagWriter;
import io.maintd.json.JsonObject;

/** {@code flagctl create NAME}: defines a new operator flag; the only way a flag comes to exist. */
final class CreateCommand implements Command {
    static final Option VALUE = Option.valued("value", (char) 0, "N", "initial value, default 0");

    private static final CommandSpec SPEC = CommandSpec.command("create", "Create a new flag.")
            .parameter(Parameter.required("NAME", "lower-case [a-z0-9][a-z0-9._-]*, up to 63 characters"))
            .option(VALUE).option(AuditedWrite.REASON)
            .detail("Fails with exit code 8 if the name exists; set changes an existing flag.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        String name = in.args.positional(0);
        long value = in.args.has(VALUE) ? ArgumentValues.integer("--value", in.args.value(VALUE)) : 0;
        try (AuditedWrite write = AuditedWrite.open(in)) {
            FlagWriter.Definition d = write.writer.define(name, FlagKind.FLAG, value);
            if (!d.created()) {
                throw new CliFailure(ExitCode.EXISTS, "flag \"" + name + "\" already exists (value " + d.handle().get()
                        + "); nothing written; change it with: flagctl set " + name + " N");
            }
            write.record("create", name, "-", Long.toString(value), 0);
        }
        if (in.json) {
            in.out.println(new JsonObject().put("name", name).put("value", value).put("created", true));
        } else {
            in.out.println("created " + name + " = " + value);
        }
        return ExitCode.OK.code;
    }
}
