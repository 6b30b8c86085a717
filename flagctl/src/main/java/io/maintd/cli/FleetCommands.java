package io.maintd.cli;

import io.maintd.command.HelpText;
import io.maintd.command.ParsedLine;
import io.maintd.command.Program;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code flagctl fleet} commands as a program of their own: finds the command a line names,
 * parses its arguments by its spec, and runs it with a session.
 */
final class FleetCommands {
    private static final List<FleetSubcommand> ALL = List.of(new FleetSetCommand(), new FleetUnsetCommand(),
            new FleetStatusCommand(), new FleetDrainCommand(), new FleetUndrainCommand(), new FleetWaitCommand(),
            new FleetRollCommand(), new FleetLogCommand());
    private static final Program PROGRAM = program();

    private FleetCommands() {
    }

    private static Program program() {
        Program program = Program.named("flagctl fleet", 1, "flags, status and rolling upgrades across hosts, through etcd")
                .global(FleetCommand.ETCD).global(FleetCommand.PREFIX).global(GlobalOptions.JSON);
        for (FleetSubcommand command : ALL) {
            program.command(command.spec());
        }
        return program;
    }

    static int run(Invocation fleetLine) {
        List<String> rest = new ArrayList<>(fleetLine.args.positionalsFrom(0));
        // --json before 'fleet' applies to the fleet command, as --etcd does.
        int optionsEnd = rest.contains("--") ? rest.indexOf("--") : rest.size();
        if (fleetLine.json && !rest.subList(0, optionsEnd).contains("--" + GlobalOptions.JSON.name)) {
            rest.add(0, "--" + GlobalOptions.JSON.name);
        }
        ParsedLine line = PROGRAM.parse(rest);
        if (line.wantsHelp()) {
            fleetLine.out.print(line.command == null ? HelpText.overview(PROGRAM) : HelpText.command(PROGRAM, line.command));
            return ExitCode.OK.code;
        }
        FleetSubcommand command = ALL.stream().filter(c -> c.spec() == line.command).findFirst().orElseThrow();
        Invocation in = new Invocation(PROGRAM, line.arguments, fleetLine.file, fleetLine.out, fleetLine.err, fleetLine.env);
        try (FleetSession fleet = FleetSession.open(fleetLine, in)) {
            return command.run(in, fleet);
        }
    }
}
