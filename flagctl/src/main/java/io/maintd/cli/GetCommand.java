package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.flagfile.FlagFile;
import io.maintd.json.JsonObject;

/** {@code flagctl get NAME}: the bare value, for {@code [ "$(flagctl get maint)" = 1 ]}. */
final class GetCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.command("get", "Print a flag's value as a bare integer.")
            .parameter(FlagNameParameters.ANY);

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        String name = in.args.positional(0);
        long value;
        try (FlagFile file = in.openForReading()) {
            value = FlagLookup.existing(file.reader(), name).get();
        }
        in.out.println(in.json ? new JsonObject().put("name", name).put("value", value).toString() : Long.toString(value));
        return ExitCode.OK.code;
    }
}
