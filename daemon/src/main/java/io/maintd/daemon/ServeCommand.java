package io.maintd.daemon;

import io.maintd.config.ConfigLoader;
import io.maintd.config.MaintdConfig;
import io.maintd.page.PageSet;
import io.maintd.rules.RuleCompiler;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code maintd --config FILE}: serve from a config file until stopped (SIGHUP reloads it); with
 * {@code --check-config}, validate it completely (syntax, keys, rules against the flag file,
 * the page) and exit 0 or 1 like {@code nginx -t} and {@code haproxy -c}, touching nothing.
 */
final class ServeCommand {
    static final List<CommandLine.Option> OPTIONS = List.of(
            new CommandLine.Option("config", "FILE", "the configuration file (see docs/config.md)", null),
            new CommandLine.Option("check-config", null, "validate the configuration and exit 0 (valid) or 1", null));

    private ServeCommand() {
    }

    static ExitCode run(List<String> args, PrintStream out) throws UsageException {
        CommandLine line = CommandLine.parse(OPTIONS, args);
        if (!line.has("config")) {
            throw new UsageException("--config FILE is required");
        }
        Path file = Path.of(line.get("config", null));
        MaintdConfig config = ConfigLoader.load(file, System.getenv());
        if (line.has("check-config")) {
            try (ScratchFlags scratch = ScratchFlags.copyOf(config.flagsFile(), config.backends().keySet())) {
                RuleCompiler.compile(config, scratch.reader());
                PageSet.load(config.maintenance());
            }
            out.println("maintd: configuration file " + file + " is valid");
            return ExitCode.OK;
        }
        return Daemon.start(config).serveUntilStopped();
    }
}
