package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Parameter;
import io.maintd.json.JsonObject;

/** {@code flagctl fleet undrain HOST}: removes the drain the fleet put on it. */
final class FleetUndrainCommand implements FleetSubcommand {
    private static final CommandSpec SPEC = CommandSpec.command("undrain", "Remove the fleet's drain from HOST.")
            .parameter(Parameter.required("HOST", "the host"))
            .option(FleetSetCommand.REASON)
            .detail("Deletes flags/host/HOST/drain; the host's maintd goes back to its own drain value (normally 0).");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in, FleetSession fleet) {
        String host = ScopeOptions.name("host", in.args.positional(0));
        long revision = FleetDrain.undrain(fleet, host, in.args.value(FleetSetCommand.REASON, ""));
        if (in.json) {
            in.out.println(new JsonObject().put("host", host).put("undrained", revision != 0).put("revision", revision));
        } else {
            in.out.println(revision == 0 ? host + " was not drained by the fleet; nothing to do"
                    : host + " undrained (revision " + revision + ")");
        }
        return ExitCode.OK.code;
    }
}
