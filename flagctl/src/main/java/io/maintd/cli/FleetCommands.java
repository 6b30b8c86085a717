package io.maintd.cli;

import java.util.ArrayList;
import java.util.List;

/** Finds the fleet command a line names, parses its arguments by its own spec, and runs it with a session. */
final class FleetCommands {
    private static final List<FleetSubcommand> ALL = List.of(new FleetSetCommand(), new FleetUnsetCommand(),
            new FleetStatusCommand(), new FleetDrainCommand(), new FleetUndrainCommand(), new FleetWaitCommand(),
            new FleetRollCommand(), new FleetLogCommand());

    private FleetCommands() {
    }

    static int run(Invocation fleetLine) {
        String name = fleetLine.args.positional(0);
        FleetSubcommand command = named(name);
        List<String> rest = new ArrayList<>(fleetLine.args.positionalsFrom(1));
        // A global option before the fleet command applies to it, as --etcd does.
        int optionsEnd = rest.contains("--") ? rest.indexOf("--") : rest.size();
        if (fleetLine.json && !rest.subList(0, optionsEnd).contains("--" + GlobalOptions.JSON.name)) {
            rest.add(0, "--" + GlobalOptions.JSON.name);
        }
        Arguments args = command.spec().parse(rest);
        if (args.has(GlobalOptions.HELP)) {
            fleetLine.out.print(command.spec().help());
            return ExitCode.OK.code;
        }
        Invocation in = new Invocation(args, fleetLine.file, fleetLine.out, fleetLine.err, fleetLine.env);
        try (FleetSession fleet = FleetSession.open(fleetLine, in)) {
            return command.run(in, fleet);
        }
    }

    private static FleetSubcommand named(String name) {
        List<String> names = new ArrayList<>();
        for (FleetSubcommand c : ALL) {
            String own = c.spec().name.substring("fleet ".length());
            if (own.equals(name)) {
                return c;
            }
            names.add(own);
        }
        String closest = ClosestName.to(name, names);
        throw CliFailure.usage("unknown fleet command \"" + name + "\"" + (closest == null ? "" : "; did you mean \""
                + closest + "\"?") + " (see flagctl fleet --help)");
    }
}
