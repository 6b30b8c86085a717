package io.maintd.cli;

import java.util.ArrayList;
import java.util.List;

/** Every subcommand, in the order help lists them; looks one up by name. */
final class CommandSet {
    private final List<Command> commands = new ArrayList<>();

    static CommandSet standard() {
        CommandSet set = new CommandSet();
        set.commands.add(new InitCommand());
        set.commands.add(new CreateCommand());
        set.commands.add(new DeleteCommand());
        set.commands.add(new ListCommand());
        set.commands.add(new GetCommand());
        set.commands.add(new SetCommand());
        set.commands.add(AddCommand.incr());
        set.commands.add(AddCommand.decr());
        set.commands.add(new CasCommand());
        set.commands.add(new WatchCommand());
        set.commands.add(new WaitCommand());
        set.commands.add(new StatusCommand());
        set.commands.add(new LogCommand());
        set.commands.add(new FleetCommand());
        set.commands.add(new CompletionCommand(set));
        set.commands.add(new ManPageCommand(set));
        set.commands.add(new HelpCommand(set));
        return set;
    }

    List<Command> all() {
        return commands;
    }

    /** The command called {@code name}; an unknown name is a usage error with a suggestion. */
    Command named(String name) {
        List<String> names = new ArrayList<>();
        for (Command c : commands) {
            if (c.spec().name.equals(name)) {
                return c;
            }
            names.add(c.spec().name);
        }
        String closest = ClosestName.to(name, names);
        throw CliFailure.usage("unknown command \"" + name + "\"" + (closest == null ? "" : "; did you mean \"" + closest + "\"?")
                + " (see flagctl --help)");
    }
}
