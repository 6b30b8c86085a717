package io.maintd.daemon;

import io.maintd.command.CommandSpec;
import io.maintd.command.Completion;
import io.maintd.command.Parameter;
import io.maintd.command.Program;
import io.maintd.command.ShellCompletion;
import io.maintd.flagfile.FlagFile;
import java.util.List;

/**
 * maintd's command line, declared once: the parser, {@code maintd --help}, maintd(8) and the
 * completion scripts all come from {@link #PROGRAM}. The commands that serve traffic declare
 * their own options beside their code ({@link ServeCommand#SPEC}, {@link DemoCommand#SPEC},
 * {@link ReloadCommand#SPEC}); this class only lists them with what the program says as a whole.
 */
final class CommandLine {
    static final CommandSpec COMPLETION = CommandSpec.command("completion", "Print the shell completion script.")
            .parameter(Parameter.optional("SHELL", "bash (default), zsh or fish")
                    .completes(Completion.words(ShellCompletion.SHELLS.toArray(new String[0]))));
    static final CommandSpec MANPAGE = CommandSpec.command("manpage", "Print the maintd(8) manual page (troff).");
    static final CommandSpec HELP = CommandSpec.command("help", "Show help for maintd or one command.")
            .parameter(Parameter.optional("COMMAND", "the command to explain").completes(Completion.COMMANDS));

    static final Program PROGRAM = declare();

    private CommandLine() {
    }

    private static Program declare() {
        Program program = Program.named("maintd", 8, "flag-driven maintenance and drain sidecar")
                .describe("An HTTP sidecar that serves, drains, sheds or shows a maintenance page, decided per request "
                        + "from flags in a shared file (flip them with flagctl).")
                .describe("Without a command it serves: maintd --config FILE.")
                .defaultCommand(ServeCommand.SPEC)
                .command(ReloadCommand.SPEC)
                .command(DemoCommand.SPEC)
                .command(COMPLETION)
                .command(MANPAGE)
                .command(HELP);
        for (ExitCode code : ExitCode.values()) {
            program.exitCode(code.code, code.meaning);
        }
        return program
                .section("Signals", List.of(
                        new String[] {"SIGTERM, SIGINT", "drain: health 503 and agent drain at once, wait drain.lead-time, "
                                + "stop accepting, wait for in-flight requests up to drain.timeout, close, exit 0"},
                        new String[] {"the same again", "during the drain: stop at once, exit 4"},
                        new String[] {"SIGHUP", "reload the config file; an invalid one is refused and the old one keeps "
                                + "serving (maintd reload waits for the outcome)"}))
                .environment("MAINTD_JAVA_OPTS", "JVM options the launcher passes, after its defaults (e.g. -Xmx512m)")
                .environment("MAINTD_HEAP", "the launcher's maximum heap, default 256m (-Xmx)")
                .environment("JOURNAL_STREAM", "set by systemd: log lines carry a <N> priority and no time of their own")
                .environment("NOTIFY_SOCKET, WATCHDOG_USEC", "set by systemd: readiness, status and watchdog messages")
                .environment("LISTEN_FDS, LISTEN_FDNAMES", "set by systemd: listening sockets passed in (socket activation)")
                .file(ServeCommand.DEFAULT_CONFIG, "the configuration (maintd.yaml(5))")
                .file("/etc/default/maintd", "environment for the unit, e.g. MAINTD_BYPASS_TOKEN")
                .file(FlagFile.DEFAULT_PATH, "the flag file")
                .seeAlso("flagctl(1)").seeAlso("maintd.yaml(5)").seeAlso("systemctl(1)");
    }
}
