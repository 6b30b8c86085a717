package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Program;
import io.maintd.flagfile.FlagFile;
import java.util.ArrayList;
import java.util.List;

/**
 * Every subcommand, in the order help lists them, and flagctl's {@link Program}: the one
 * declaration that parsing, {@code --help}, flagctl(1) and the completion scripts come from.
 */
final class CommandSet {
    private final List<Command> commands = new ArrayList<>();
    private final Program program = Program.named("flagctl", 1, "read and write maintd's flag file")
            .describe("Reads and writes maintd's flag file directly; the daemon does not need to run.")
            .describe("Output is for people; --json gives JSON for scripts. Errors go to stderr.");

    static CommandSet standard() {
        CommandSet set = new CommandSet();
        set.add(new InitCommand());
        set.add(new CreateCommand());
        set.add(new DeleteCommand());
        set.add(new ListCommand());
        set.add(new GetCommand());
        set.add(new SetCommand());
        set.add(new CancelCommand());
        set.add(AddCommand.incr());
        set.add(AddCommand.decr());
        set.add(new CasCommand());
        set.add(new WatchCommand());
        set.add(new WaitCommand());
        set.add(new FollowCommand());
        set.add(new StatusCommand());
        set.add(new LogCommand());
        set.add(new FleetCommand());
        set.add(new CompletionCommand(set));
        set.add(new ManPageCommand(set));
        set.add(new HelpCommand(set));
        for (var option : GlobalOptions.ALL) {
            set.program.global(option);
        }
        for (ExitCode c : ExitCode.values()) {
            set.program.exitCode(c.code, c.meaning);
        }
        set.program.exitCode(ExitCode.INTERRUPTED, "watch/wait stopped by SIGINT (Ctrl-C)")
                .environment(GlobalOptions.FILE_ENV, "the flag file when --file is not given")
                .environment(FleetCommand.ETCD_ENV, "etcd client URLs for 'fleet' when --etcd is not given")
                .environment("FLAGCTL_JAVA_OPTS", "extra JVM options the flagctl launcher appends")
                .file(FlagFile.DEFAULT_PATH, "the default flag file")
                .file(FlagFile.DEFAULT_PATH + ".log", "the audit log: one logfmt line per write (time, user, uid, "
                        + "pid, op, flag, old, new, expires, reason)")
                .seeAlso("maintd(8)").seeAlso("maintd.yaml(5)");
        return set;
    }

    private void add(Command command) {
        commands.add(command);
        program.command(command.spec());
    }

    Program program() {
        return program;
    }

    List<Command> all() {
        return commands;
    }

    /** The command called {@code name}; an unknown name is a usage error with a suggestion. */
    Command named(String name) {
        return of(program.named(name));
    }

    /** The command declared by {@code spec}. */
    Command of(CommandSpec spec) {
        for (Command c : commands) {
            if (c.spec() == spec) {
                return c;
            }
        }
        throw new IllegalArgumentException(spec.name + " is not one of flagctl's commands");
    }
}
