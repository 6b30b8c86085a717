package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Parameter;
import io.maintd.json.JsonObject;
import io.maintd.fleet.LogEntry;
import io.maintd.fleet.Scope;

/** {@code flagctl fleet unset NAME (--all | --service S | --host H)}: the key goes, the hosts fall back. */
final class FleetUnsetCommand implements FleetSubcommand {
    private static final CommandSpec SPEC = ScopeOptions.declare(CommandSpec.command("unset",
                    "Remove a fleet flag key: each host falls back to the next scope's key, or to its own value."))
            .parameter(Parameter.required("NAME", "the flag"))
            .option(FleetSetCommand.REASON)
            .detail("A host whose flag no key sets any more gets back the value it had before the fleet set it.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in, FleetSession fleet) {
        String name = ScopeOptions.flag(in.args.positional(0));
        Scope scope = ScopeOptions.of(in.args);
        String key = fleet.keys.flagKey(scope, name);
        long revision = FleetKeyRemoval.remove(fleet, key, new LogEntry(System.currentTimeMillis(), "unset", scope.toString(),
                name, 0, 0, in.args.value(FleetSetCommand.REASON, ""), fleet.who()));
        if (in.json) {
            in.out.println(new JsonObject().put("flag", name).put("scope", scope.toString()).put("key", key)
                    .put("removed", revision != 0).put("revision", revision));
        } else if (revision == 0) {
            in.out.println(name + ": no fleet key for " + scope + " (" + key + "); nothing to unset");
        } else {
            in.out.println(name + " unset for " + scope + " (" + key + " deleted at revision " + revision + ")");
        }
        return ExitCode.OK.code;
    }
}
