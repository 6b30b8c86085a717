package io.maintd.daemon;

import io.maintd.config.ConfigException;
import io.maintd.flagfile.FlagFileException;
import io.maintd.lifecycle.ListenException;
import io.maintd.page.PageLoadException;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code maintd} command: wires subcommands, maps failures to exit codes. Serving from a
 * config file ({@code --config FILE}, {@code --check-config}) slots in beside {@code demo}
 * as another command that loads a MaintdConfig and hands it to {@link Daemon#start}.
 */
public final class MaintdMain {
    private MaintdMain() {
    }

    public static void main(String[] args) {
        // One line per log event; set before anything creates a logger.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %5$s%6$s%n");
        }
        // Netty's default leak detection takes a stack trace for a sample of buffers, a cost on
        // every request path; the test suites keep it on (they never come through here), and
        // -Dio.netty.leakDetection.level=paranoid via MAINTD_JAVA_OPTS brings it back to hunt a leak.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(run(Arrays.asList(args), System.out, System.err).code);
    }

    static ExitCode run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.contains("--help") || args.contains("-h") || args.get(0).equals("help")) {
            (args.isEmpty() ? err : out).println(help());
            return args.isEmpty() ? ExitCode.USAGE : ExitCode.OK;
        }
        try {
            return switch (args.get(0)) {
                case "demo" -> DemoCommand.run(args.subList(1, args.size()), out);
                default -> {
                    if (!args.get(0).startsWith("--")) {
                        throw new UsageException("unknown command " + args.get(0));
                    }
                    yield ServeCommand.run(args, out);
                }
            };
        } catch (UsageException e) {
            err.println("maintd: " + e.getMessage() + " (see maintd --help)");
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

    static String help() {
        StringBuilder text = new StringBuilder()
                .append("maintd - an HTTP sidecar that serves, drains, sheds or shows a maintenance page,\n")
                .append("decided per request from flags in a shared file (flip them with flagctl).\n\n")
                .append("Usage:\n")
                .append("  maintd --config FILE                  serve as configured (docs/config.md)\n")
                .append("  maintd --check-config --config FILE   validate FILE, rules and page; exit 0 or 1\n")
                .append("  maintd demo [options]                 run in front of a built-in demo backend, flags in ./var/flags\n")
                .append("  maintd --help                         this text\n\n")
                .append("options:\n")
                .append(CommandLine.help(ServeCommand.OPTIONS)).append("\n\n")
                .append("demo options:\n")
                .append(CommandLine.help(DemoCommand.OPTIONS)).append("\n\n")
                .append("Signals (docs/operations.md):\n")
                .append("  SIGTERM, SIGINT   drain: health 503 and agent drain at once, wait drain.lead-time, stop accepting,\n")
                .append("                    wait for in-flight requests up to drain.timeout, close, exit 0\n")
                .append("  the same again    during the drain: stop at once, exit 4\n")
                .append("  SIGHUP            reload the config file; an invalid one is refused and the old one keeps serving\n\n")
                .append("Exit codes:\n");
        for (ExitCode code : ExitCode.values()) {
            text.append(String.format("  %d  %s%n", code.code, code.meaning));
        }
        return text.toString().stripTrailing();
    }
}
