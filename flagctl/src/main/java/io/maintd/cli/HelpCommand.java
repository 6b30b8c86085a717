package io.maintd.cli;

import java.util.ArrayList;
import java.util.List;

/** {@code flagctl help [COMMAND]}, also reached by {@code flagctl --help}. */
final class HelpCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.command("help", "Show help for flagctl or one command.")
            .parameter(Parameter.optional("COMMAND", "the command to explain"));

    private final CommandSet commands;

    HelpCommand(CommandSet commands) {
        this.commands = commands;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        String name = in.args.positional(0);
        in.out.print(name == null ? overview(commands) : commands.named(name).spec().help());
        return ExitCode.OK.code;
    }

    static String overview(CommandSet commands) {
        StringBuilder b = new StringBuilder();
        b.append("usage: flagctl [--file PATH] [--json] COMMAND [ARGS...]\n\n")
                .append("Reads and writes maintd's flag file directly; the daemon does not need to run.\n")
                .append("Output is for people; --json gives JSON for scripts. Errors go to stderr.\n")
                .append("\ncommands:\n");
        List<String[]> rows = new ArrayList<>();
        for (Command c : commands.all()) {
            rows.add(new String[] {c.spec().name, c.spec().summary});
        }
        TextTable.appendIndented(b, rows);
        b.append("\nglobal options:\n");
        TextTable.appendIndented(b, CommandSpec.optionRows(GlobalOptions.ALL));
        b.append("\nenvironment:\n");
        List<String[]> env = new ArrayList<>();
        env.add(new String[] {GlobalOptions.FILE_ENV, "the flag file when --file is not given"});
        TextTable.appendIndented(b, env);
        b.append("\nexit codes:\n");
        TextTable.appendIndented(b, ExitCodeTable.rows());
        b.append("\nRun 'flagctl COMMAND --help' for a command's arguments and options.\n");
        return b.toString();
    }
}
