package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Option;
import io.maintd.command.Parameter;
import io.maintd.json.JsonObject;

/** {@code flagctl fleet drain HOST --service S [--max-unavailable N]}: drain within the pool's budget. */
final class FleetDrainCommand implements FleetSubcommand {
    static final Option MAX_UNAVAILABLE = Option.valued("max-unavailable", (char) 0, "N",
            "refuse while N hosts of the service are out already: in drain, in maint, or lost (default 1)");

    private static final CommandSpec SPEC = CommandSpec.command("drain",
                    "Drain HOST, only if fewer than N hosts of its service are out of the pool; check and write are one etcd transaction.")
            .parameter(Parameter.required("HOST", "the host, as its maintd names itself (fleet.host)"))
            .option(ScopeOptions.SERVICE).option(MAX_UNAVAILABLE).option(FleetSetCommand.REASON)
            .detail("--service is required. A refusal names the hosts that hold the budget and exits 9. Draining a host")
            .detail("the fleet drained already succeeds and changes nothing. The host's maintd drains within moments.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in, FleetSession fleet) {
        String host = ScopeOptions.name("host", in.args.positional(0));
        String service = requiredService(in);
        int max = maxUnavailable(in);
        FleetDrain.Outcome outcome = FleetDrain.drain(fleet, service, host, max, in.args.value(FleetSetCommand.REASON, ""));
        if (in.json) {
            in.out.println(new JsonObject().put("host", host).put("service", service).put("drained", outcome.drained() || outcome.already())
                    .put("already", outcome.already()).put("revision", outcome.revision())
                    .putStrings("holders", outcome.holders().keySet()));
        }
        if (!outcome.drained() && !outcome.already()) {
            throw new CliFailure(ExitCode.BUDGET, "not draining " + host + ": " + service + " allows " + max
                    + " host(s) out of " + outcome.poolSize() + " at once, and " + outcome.holders().size() + " are: "
                    + FleetDrain.describe(outcome.holders()));
        }
        if (!in.json) {
            in.out.println(outcome.already() ? host + " is already drained by the fleet (revision " + outcome.revision() + ")"
                    : host + " drained (revision " + outcome.revision() + ")");
        }
        return ExitCode.OK.code;
    }

    static String requiredService(Invocation in) {
        if (!in.args.has(ScopeOptions.SERVICE)) {
            throw CliFailure.usage("--service SERVICE is required: the drain budget is the service's");
        }
        return ScopeOptions.name("service", in.args.value(ScopeOptions.SERVICE));
    }

    static int maxUnavailable(Invocation in) {
        return in.args.has(MAX_UNAVAILABLE)
                ? ArgumentValues.count("--max-unavailable", in.args.value(MAX_UNAVAILABLE), 1, 1_000_000) : 1;
    }
}
