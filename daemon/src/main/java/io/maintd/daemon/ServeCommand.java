package io.maintd.daemon;

import io.maintd.command.Arguments;
import io.maintd.command.CommandSpec;
import io.maintd.command.Completion;
import io.maintd.command.Option;
import io.maintd.command.UsageException;
import io.maintd.config.ConfigLoader;
import io.maintd.config.MaintdConfig;
import io.maintd.page.PageSet;
import io.maintd.rules.RuleCompiler;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code maintd --config FILE}: serve from a config file until stopped (SIGHUP reloads it); with
 * {@code --check-config}, validate it completely (syntax, keys, rules against the flag file,
 * the page) and exit 0 or 1 like {@code nginx -t} and {@code haproxy -c}, touching nothing.
 */
final class ServeCommand {
    /** Where the package installs the configuration. */
    static final String DEFAULT_CONFIG = "/etc/maintd/maintd.yaml";

    static final Option CONFIG = Option.valued("config", 'c', "FILE",
            "the configuration file (maintd.yaml(5), docs/config.md)").completes(Completion.FILES);
    static final Option CHECK_CONFIG = Option.toggle("check-config", 't',
            "validate the configuration and exit 0 (valid) or 1, like nginx -t");

    static final CommandSpec SPEC = CommandSpec.command("serve", "Serve as configured until SIGTERM (the default command).")
            .option(CONFIG).option(CHECK_CONFIG)
            .detail("maintd --config FILE and maintd serve --config FILE are the same.");

    private ServeCommand() {
    }

    static ExitCode run(Arguments args, PrintStream out) {
        if (!args.has(CONFIG)) {
            throw new UsageException("--config FILE is required");
        }
        Path file = Path.of(args.value(CONFIG));
        if (args.has(CHECK_CONFIG)) {
            check(file);
            out.println("maintd: configuration file " + file + " is valid");
            return ExitCode.OK;
        }
        ProcessName.set();
        return Daemon.start(ConfigLoader.load(file, System.getenv(), RuleCompiler::check)).serveUntilStopped();
    }

    /**
     * Loads {@code file} and compiles its rules against a scratch copy of its flag file, as a
     * start would, without writing anything.
     *
     * @throws io.maintd.config.ConfigException  naming the file, key and problem
     * @throws io.maintd.page.PageLoadException  naming an unreadable page
     */
    static MaintdConfig check(Path file) {
        MaintdConfig config = ConfigLoader.load(file, System.getenv(), RuleCompiler::check);
        try (ScratchFlags scratch = ScratchFlags.copyOf(config.flagsFile(), config.backends().keySet())) {
            RuleCompiler.compile(config, scratch.reader());
            PageSet.load(config.maintenance());
        }
        return config;
    }
}
