package io.maintd.daemon;

import io.maintd.command.Arguments;
import io.maintd.command.HelpText;
import io.maintd.command.ManPage;
import io.maintd.command.ParsedLine;
import io.maintd.command.Program;
import io.maintd.command.ShellCompletion;
import io.maintd.command.UsageException;
import io.maintd.config.ConfigException;
import io.maintd.flagfile.FlagFileException;
import io.maintd.log.LogLineFormat;
import io.maintd.net.ListenException;
import io.maintd.page.PageLoadException;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code maintd} command: lets {@link CommandLine#PROGRAM} parse the line, runs the command
 * it names (serving from a config file when it names none), and maps failures to exit codes.
 */
public final class MaintdMain {
    private MaintdMain() {
    }

    public static void main(String[] args) {
        // One line per log event, UTC, journald-aware; installed before anything logs.
        LogLineFormat.install(System.getenv());
        // Netty's default leak detection takes a stack trace for a sample of buffers, a cost on
        // every request path; the test suites keep it on (they never come through here), and
        // -Dio.netty.leakDetection.level=paranoid via MAINTD_JAVA_OPTS brings it back to hunt a leak.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(run(Arrays.asList(args), System.out, System.err).code);
    }

    static ExitCode run(List<String> args, PrintStream out, PrintStream err) {
        Program program = CommandLine.PROGRAM;
        if (args.isEmpty()) {
            err.print(HelpText.overview(program));
            return ExitCode.USAGE;
        }
        try {
            ParsedLine line = program.parse(args);
            if (line.wantsVersion()) {
                out.println(program.versionLine());
                return ExitCode.OK;
            }
            if (line.wantsHelp()) {
                out.print(line.command == null ? HelpText.overview(program) : HelpText.command(program, line.command));
                return ExitCode.OK;
            }
            Arguments arguments = line.arguments;
            return switch (line.command.name) {
                case "demo" -> DemoCommand.run(arguments, out);
                case "reload" -> ReloadCommand.run(arguments, out);
                case "completion" -> print(out, ShellCompletion.script(program,
                        arguments.positional(0) == null ? ShellCompletion.SHELLS.get(0) : arguments.positional(0)));
                case "manpage" -> print(out, ManPage.of(program));
                case "help" -> print(out, arguments.positional(0) == null ? HelpText.overview(program)
                        : HelpText.command(program, program.named(arguments.positional(0))));
                default -> ServeCommand.run(arguments, out);
            };
        } catch (UsageException e) {
            err.println("maintd: " + e.getMessage());
            return ExitCode.USAGE;
        } catch (FlagFileException e) {
            err.println("maintd: " + e.getMessage());
            return e.reason() == FlagFileException.Reason.DAEMON_RUNNING ? ExitCode.ALREADY_RUNNING : ExitCode.FAILED;
        } catch (ConfigException e) {
            err.println("maintd: " + e.getMessage());
            return ExitCode.FAILED;
        } catch (ListenException | PageLoadException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            // The last two name a malformed systemd variable (LISTEN_FDS, WATCHDOG_USEC, NOTIFY_SOCKET).
            err.println("maintd: " + e.getMessage());
            return ExitCode.FAILED;
        } catch (IOException e) {
            err.println("maintd: " + e);
            return ExitCode.FAILED;
        }
    }

    private static ExitCode print(PrintStream out, String text) {
        out.print(text);
        return ExitCode.OK;
    }
}
