package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.ManPage;

/**
 * {@code flagctl manpage}: prints flagctl(1) in troff, generated from the command declarations
 * like help and completion. The build writes it to {@code flagctl/target/man/flagctl.1}.
 */
final class ManPageCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.command("manpage", "Print the flagctl(1) manual page (troff).")
            .detail("Install: flagctl manpage > /usr/local/share/man/man1/flagctl.1");

    private final CommandSet commands;

    ManPageCommand(CommandSet commands) {
        this.commands = commands;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        in.out.print(ManPage.of(commands.program()));
        return ExitCode.OK.code;
    }
}
