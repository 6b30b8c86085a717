package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Completion;
import io.maintd.command.HelpText;
import io.maintd.command.Parameter;

/** {@code flagctl help [COMMAND]}, also reached by {@code flagctl --help}. */
final class HelpCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.command("help", "Show help for flagctl or one command.")
            .parameter(Parameter.optional("COMMAND", "the command to explain").completes(Completion.COMMANDS));

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
        in.out.print(name == null ? HelpText.overview(commands.program())
                : HelpText.command(commands.program(), commands.program().named(name)));
        return ExitCode.OK.code;
    }
}
