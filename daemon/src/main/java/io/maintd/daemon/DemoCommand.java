package io.maintd.daemon;

import io.maintd.config.AddressSyntax;
import io.maintd.config.MaintdConfig;
import io.maintd.demo.DemoBackend;
import io.maintd.demo.DemoConfig;
import io.maintd.lifecycle.Transport;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code maintd demo}: the sidecar in front of a built-in backend, flags under {@code ./var/},
 * no root and no set-up. Prints what to try, then runs until SIGINT or SIGTERM.
 */
final class DemoCommand {
    static final String DEFAULT_PAGE = "conf/maintenance.html";

    static final List<CommandLine.Option> OPTIONS = List.of(
            new CommandLine.Option("listen", "HOST:PORT", "where the sidecar listens", "127.0.0.1:8080"),
            new CommandLine.Option("admin", "HOST:PORT", "where /healthz answers", "127.0.0.1:9090"),
            new CommandLine.Option("flags", "FILE", "the flag file, created if missing", "var/flags"),
            new CommandLine.Option("page", "FILE", "the maintenance page",
                    DEFAULT_PAGE + " when present, else built in"),
            new CommandLine.Option("bypass-token", "TOKEN", "X-Maintd-Bypass value that passes maintenance", "demo"));

    private DemoCommand() {
    }

    static ExitCode run(List<String> args, PrintStream out) throws UsageException, IOException {
        CommandLine line = CommandLine.parse(OPTIONS, args);
        InetSocketAddress listen = line.address("listen", "127.0.0.1:8080");
        InetSocketAddress adminAddress = line.address("admin", "127.0.0.1:9090");
        Path flags = Path.of(line.get("flags", "var/flags"));
        Path page = line.has("page") ? Path.of(line.get("page", null))
                : Files.isRegularFile(Path.of(DEFAULT_PAGE)) ? Path.of(DEFAULT_PAGE) : null;
        String token = line.get("bypass-token", "demo");
        Path dir = flags.toAbsolutePath().getParent();
        Files.createDirectories(dir);

        Transport transport = Transport.preferred();
        EventLoopGroup backendGroup = transport.newGroup(1, "demo-backend");
        DemoBackend backend = null;
        Daemon daemon;
        try {
            backend = DemoBackend.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backendGroup, transport);
            MaintdConfig config = DemoConfig.create(flags, listen, adminAddress, backend.address(), page, token);
            daemon = Daemon.start(config);
        } catch (RuntimeException e) {
            stop(null, backend, backendGroup);
            throw e;
        }
        DemoBackend started = backend;
        printWhatToTry(out, daemon, backend, flags, token);
        ExitCode code = daemon.serveUntilStopped();
        stop(null, started, backendGroup);
        return code;
    }

    private static void stop(Daemon daemon, DemoBackend backend, EventLoopGroup backendGroup) {
        if (daemon != null) {
            daemon.close();
        }
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
