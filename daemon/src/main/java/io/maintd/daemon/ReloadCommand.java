package io.maintd.daemon;

import io.maintd.command.Arguments;
import io.maintd.command.CommandSpec;
import io.maintd.command.Completion;
import io.maintd.command.Option;
import io.maintd.command.UsageException;
import io.maintd.config.MaintdConfig;
import io.maintd.flagfile.DaemonStatus;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.StandardFlags;
import io.maintd.syntax.DurationSyntax;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code maintd reload}: what {@code systemctl reload maintd} runs ({@code ExecReload=}), so a
 * broken config fails the reload instead of passing silently, as Debian's nginx and haproxy
 * units do. It validates the file as {@code --check-config} would, sends SIGHUP to the daemon
 * named in the file's flag file, and waits until that daemon applied the file (its
 * {@code config.generation} counter moved) or rejected it ({@code config.rejections} moved).
 */
final class ReloadCommand {
    static final Option TIMEOUT = Option.valued("timeout", (char) 0, "DURATION",
            "how long to wait for the daemon's answer (default: 30s)");

    static final CommandSpec SPEC = CommandSpec.command("reload",
                    "Validate the config, signal the running daemon (SIGHUP) and wait until it applied or rejected it.")
            .option(ServeCommand.CONFIG).option(TIMEOUT)
            .detail("Exit 0: the daemon serves the new config. Exit 1: the file is invalid (nothing was signalled), no "
                    + "daemon runs on its flag file, the daemon rejected it (its log says why), or no answer in time.")
            .detail("--config defaults to " + ServeCommand.DEFAULT_CONFIG + "; it must be the file the daemon serves.");

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private ReloadCommand() {
    }

    static ExitCode run(Arguments args, PrintStream out) throws IOException {
        Duration timeout = timeout(args.value(TIMEOUT, "30s"));
        Path file = Path.of(args.value(ServeCommand.CONFIG, ServeCommand.DEFAULT_CONFIG));
        MaintdConfig config = ServeCommand.check(file);
        try (FlagFile flags = FlagFile.openReadOnly(config.flagsFile())) {
            FlagReader reader = flags.reader();
            DaemonStatus daemon = reader.daemon();
            if (!beating(reader)) {
                throw new IllegalStateException("reload: no maintd is running on " + config.flagsFile()
                        + " (no live daemon pid in it); nothing to reload");
            }
            FlagHandle generation = counter(reader, StandardFlags.CONFIG_GENERATION);
            FlagHandle rejections = counter(reader, StandardFlags.CONFIG_REJECTIONS);
            long generationBefore = generation.get();
            long rejectionsBefore = rejections.get();
            signal(daemon.pid());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() - deadline < 0) {
                if (generation.get() != generationBefore) {
                    out.println("maintd: reloaded " + file + ": pid " + daemon.pid() + " serves config generation "
                            + generation.get());
                    return ExitCode.OK;
                }
                if (rejections.get() != rejectionsBefore) {
                    throw new IllegalStateException("reload: pid " + daemon.pid() + " rejected " + file + " and keeps "
                            + "serving config generation " + generationBefore + "; its log says why");
                }
                if (!beating(reader)) {
                    throw new IllegalStateException("reload: pid " + daemon.pid() + " stopped before answering");
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
            throw new IllegalStateException("reload: pid " + daemon.pid() + " did not answer within " + args.value(TIMEOUT, "30s"));
        }
    }

    /**
     * A daemon claimed the file and its heartbeat is fresh. Unlike {@link DaemonStatus#alive}, this
     * does not look the pid up in /proc: under the unit's ProtectProc=invisible and PrivateUsers=,
     * ExecReload= runs in a user namespace of its own and cannot see the main process there,
     * although it may signal it (same uid).
     */
    private static boolean beating(FlagReader reader) {
        DaemonStatus daemon = reader.daemon();
        return daemon.pid() != 0 && daemon.heartbeatAgeMillis(System.currentTimeMillis()) <= DaemonStatus.STALE_AFTER_MILLIS;
    }

    private static Duration timeout(String text) {
        try {
            return DurationSyntax.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--timeout " + text + ": " + e.getMessage());
        }
    }

    /** A daemon that predates these counters cannot say how a reload went. */
    private static FlagHandle counter(FlagReader reader, String name) {
        return reader.find(name).orElseThrow(() -> new IllegalStateException("reload: " + reader.path()
                + " has no " + name + " counter; the running maintd is too old to report a reload, use kill -HUP"));
    }

    private static void signal(long pid) throws IOException {
        // The shell's own kill: no procps needed, and the JDK has no way to signal another process.
        Process kill = new ProcessBuilder("sh", "-c", "kill -HUP \"$1\"", "kill", Long.toString(pid))
                .redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes()).strip();
        try {
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("reload: cannot signal pid " + pid + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("reload: interrupted while signalling pid " + pid);
        }
    }
}
