package io.maintd.daemon;

import io.maintd.command.Arguments;
import io.maintd.command.CommandSpec;
import io.maintd.command.Completion;
import io.maintd.command.Option;
import io.maintd.command.UsageException;
import io.maintd.config.MaintdConfig;
import io.maintd.demo.DemoBackend;
import io.maintd.demo.DemoConfig;
import io.maintd.net.Transport;
import io.maintd.syntax.AddressSyntax;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code maintd demo}: the sidecar in front of a built-in backend, flags under {@code ./var/},
 * no root and no set-up. Prints what to try, then runs until SIGINT or SIGTERM.
 */
final class DemoCommand {
    static final String DEFAULT_PAGE = "conf/maintenance.html";

    static final Option LISTEN = Option.valued("listen", (char) 0, "HOST:PORT",
            "where the sidecar listens (default: 127.0.0.1:8080)");
    static final Option ADMIN = Option.valued("admin", (char) 0, "HOST:PORT",
            "where /healthz answers (default: 127.0.0.1:9090)");
    static final Option FLAGS = Option.valued("flags", (char) 0, "FILE", "the flag file, created if missing "
            + "(default: var/flags)").completes(Completion.FILES);
    static final Option PAGE = Option.valued("page", (char) 0, "FILE", "the maintenance page (default: "
            + DEFAULT_PAGE + " when present, else built in)").completes(Completion.FILES);
    static final Option BYPASS_TOKEN = Option.valued("bypass-token", (char) 0, "TOKEN",
            "X-Maintd-Bypass value that passes maintenance (default: demo)");

    static final CommandSpec SPEC = CommandSpec.command("demo",
                    "Run in front of a built-in demo backend, flags in ./var/flags; no root, no set-up.")
            .option(LISTEN).option(ADMIN).option(FLAGS).option(PAGE).option(BYPASS_TOKEN);

    private DemoCommand() {
    }

    static ExitCode run(Arguments line, PrintStream out) throws IOException {
        InetSocketAddress listen = address(line, LISTEN, "127.0.0.1:8080");
        InetSocketAddress adminAddress = address(line, ADMIN, "127.0.0.1:9090");
        Path flags = Path.of(line.value(FLAGS, "var/flags"));
        Path page = line.has(PAGE) ? Path.of(line.value(PAGE))
                : Files.isRegularFile(Path.of(DEFAULT_PAGE)) ? Path.of(DEFAULT_PAGE) : null;
        String token = line.value(BYPASS_TOKEN, "demo");
        Path dir = flags.toAbsolutePath().getParent();
        Files.createDirectories(dir);

        ProcessName.set();
        Transport transport = Transport.preferred();
        EventLoopGroup backendGroup = transport.newGroup(1, "demo-backend");
        DemoBackend backend = null;
        Daemon daemon;
        try {
            backend = DemoBackend.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backendGroup, transport);
            MaintdConfig config = DemoConfig.create(flags, listen, adminAddress, backend.address(), page, token);
            daemon = Daemon.start(config);
        } catch (RuntimeException e) {
            stop(backend, backendGroup);
            throw e;
        }
        DemoBackend started = backend;
        printWhatToTry(out, daemon, backend, flags, token);
        ExitCode code = daemon.serveUntilStopped();
        stop(started, backendGroup);
        return code;
    }

    /** HOST:PORT as the config file writes addresses (IPv6 in brackets), port 0 for any free port. */
    private static InetSocketAddress address(Arguments line, Option option, String fallback) {
        String text = line.value(option, fallback);
        try {
            return AddressSyntax.parse(text, true);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + option.name + " " + text + ": " + e.getMessage());
        }
    }

    private static void stop(DemoBackend backend, EventLoopGroup backendGroup) {
        if (backend != null) {
            backend.close();
        }
        backendGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static void printWhatToTry(PrintStream out, Daemon daemon, DemoBackend backend, Path flags, String token) {
        String proxy = "http://" + AddressSyntax.format(daemon.proxyAddress());
        String admin = "http://" + AddressSyntax.format(daemon.adminAddress());
        out.println("maintd demo is running (Ctrl-C stops it)");
        out.println("  proxy:   " + proxy + "/   ->  demo backend on " + AddressSyntax.format(backend.address()));
        out.println("  admin:   " + admin + "/   (the live admin page, read-only in the demo)");
        out.println("  health:  " + admin + "/healthz");
        out.println("  flags:   " + flags);
        out.println();
        out.println("Try:");
        out.println("  curl -i " + proxy + "/");
        out.println("  bin/flagctl --file " + flags + " set maint 1");
        out.println("  curl -i " + proxy + "/");
        out.println("  curl -i -H 'Accept: application/json' " + proxy + "/");
        out.println("  curl -i -H 'X-Maintd-Bypass: " + token + "' " + proxy + "/");
        out.println("  curl -i " + admin + "/healthz");
        out.println("  bin/flagctl --file " + flags + " set maint 0");
        out.println("  bin/flagctl --file " + flags + " set shed 50");
        out.flush();
    }
}
