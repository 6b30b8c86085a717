package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Completion;
import io.maintd.command.Parameter;
import io.maintd.command.ShellCompletion;

/**
 * {@code flagctl completion [bash|zsh|fish]}: prints the completion script, generated from the
 * same declarations as parsing and help, so it always knows every command and option. Flag
 * names are completed by asking {@code flagctl list --names} about the file in use; writing
 * commands are offered only operator flags ({@code --writable}).
 */
final class CompletionCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.command("completion", "Print the shell completion script.")
            .parameter(Parameter.optional("SHELL", "bash (default), zsh or fish")
                    .completes(Completion.words(ShellCompletion.SHELLS.toArray(new String[0]))))
            .detail("bash: flagctl completion > /etc/bash_completion.d/flagctl, or source it from ~/.bashrc.")
            .detail("zsh: flagctl completion zsh > \"${fpath[1]}/_flagctl\".")
            .detail("fish: flagctl completion fish > ~/.config/fish/completions/flagctl.fish.");

    private final CommandSet commands;

    CompletionCommand(CommandSet commands) {
        this.commands = commands;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        in.out.print(ShellCompletion.script(commands.program(),
                in.args.positional(0) == null ? ShellCompletion.SHELLS.get(0) : in.args.positional(0)));
        return ExitCode.OK.code;
    }
}
