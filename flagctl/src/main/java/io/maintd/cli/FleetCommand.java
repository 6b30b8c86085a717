package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Option;
import io.maintd.command.Parameter;

/**
 * {@code flagctl fleet [--etcd URL[,URL]] [--prefix P] COMMAND ...}: flags, status and rolling
 * upgrades across hosts, through etcd (docs/fleet.md). Every flagctl run loads this declaration;
 * the fleet's own classes (the etcd client, the JSON reader, the subcommands) load only when a
 * fleet command runs, so local commands keep their start-up.
 */
final class FleetCommand implements Command {
    static final String ETCD_ENV = "MAINTD_ETCD";
    static final Option ETCD = Option.valued("etcd", (char) 0, "URL[,URL]",
            "etcd client URLs, tried in order (default: $" + ETCD_ENV + ")");
    static final Option PREFIX = Option.valued("prefix", (char) 0, "PREFIX", "where the fleet's keys live (default /maintd)");

    private static final CommandSpec SPEC = CommandSpec.command("fleet",
                    "Flags, status and rolling upgrades across hosts, through etcd.")
            .parameter(Parameter.required("COMMAND", "set, unset, status, drain, undrain, wait, roll or log"))
            .parameter(Parameter.repeated("ARGS", "the command's arguments; flagctl fleet COMMAND --help"))
            .option(ETCD).option(PREFIX)
            .passingOn()
            .detail("  set NAME VALUE (--all|--service S|--host H) [--for D] [--reason T]   a flag for many hosts")
            .detail("  unset NAME (--all|--service S|--host H)                             remove it again")
            .detail("  status [--service S]                            every host's mode, in-flight, connections")
            .detail("  drain HOST --service S [--max-unavailable N]    drain, unless N hosts of S are out already")
            .detail("  undrain HOST                                    undo a fleet drain")
            .detail("  wait HOST (inflight|conns) --le N [--timeout D] wait on a host's published counters")
            .detail("  roll --service S [--max-unavailable N] -- HOOK ARGS...   drain, wait, HOOK ({host}), undrain, ready")
            .detail("  log [-n N]                                      who changed what, when, why, at which revision")
            .detail("Options before COMMAND apply to it; see docs/fleet.md.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        return FleetCommands.run(in);
    }
}
