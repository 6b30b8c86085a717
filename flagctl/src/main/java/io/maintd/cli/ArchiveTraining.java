package io.maintd.cli;

import io.maintd.flagfile.AuditLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The build's training run for the AppCDS archive: runs every command, error paths included,
 * against a scratch flag file under {@code -XX:ArchiveClassesAtExit}, so the classes each one
 * loads come from the archive when {@code bin/flagctl} starts. Not part of the CLI.
 */
public final class ArchiveTraining {
    private ArchiveTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Path file = dir.resolve("flags");
        Files.deleteIfExists(file);
        Files.deleteIfExists(AuditLog.pathFor(file));
        String f = file.toString();
        String[][] lines = {
            {"--help"}, {"set", "--help"}, {"-f", f, "init"}, {"-f", f, "init"},
            {"-f", f, "create", "maint"}, {"-f", f, "create", "drain", "--value", "0"}, {"-f", f, "create", "maint"},
            {"-f", f, "set", "maint", "1"}, {"--file", f, "set", "maint", "0", "--reason", "training"},
            {"-f", f, "set", "maint", "1", "--for", "10m"}, {"-f", f, "set", "mant", "1"}, {"-f", f, "set", "maint", "x"},
            {"-f", f, "get", "maint"}, {"-f", f, "get", "maint", "--json"}, {"-f", f, "incr", "drain"},
            {"-f", f, "decr", "drain", "1"}, {"-f", f, "cas", "drain", "0", "1"}, {"-f", f, "cas", "drain", "0", "1"},
            {"-f", f, "list"}, {"-f", f, "list", "--json"}, {"-f", f, "status"}, {"-f", f, "status", "--json"},
            {"-f", f, "wait", "drain", "--ge", "1", "--timeout", "1s"}, {"-f", f, "wait", "drain", "--eq", "5", "--timeout", "20ms"},
            {"-f", f, "watch", "drain", "--count", "1"}, {"-f", f, "log", "-n", "5"}, {"-f", f, "log", "--json"},
            {"-f", f, "delete", "drain"}, {"-f", dir.resolve("missing").toString(), "get", "maint"}, {"sett"},
            {"completion"}, {"completion", "zsh"}, {"completion", "fish"}, {"--version"},
            {"-f", f, "list", "--names", "--writable"},
            {"-f", f, "set", "maint", "1", "--at", "+1h", "--for", "10m"},
            {"-f", f, "set", "maint", "1", "--at", "2100-01-01T00:00Z", "--for", "10m"}, {"-f", f, "cancel", "maint"},
            // The fleet's classes are archived too (archived is not loaded: local commands never touch
            // them); a closed port walks HttpURLConnection's connect path without an etcd.
            {"fleet", "--help"}, {"fleet", "set", "--help"},
            {"fleet", "--etcd", "http://127.0.0.1:" + closedPort(), "status"},
            {"fleet", "--etcd", "http://127.0.0.1:" + closedPort(), "set", "maint", "1", "--all", "--json"},
        };
        for (String[] line : lines) {
            if (line.length > 3 && line[2].equals("watch")) {
                watchWhileSetting(f, line);
            } else {
                Flagctl.run(line, sink(), sink(), System.getenv());
            }
        }
    }

    /** watch needs a change to print; set the flag until the watcher has seen one. */
    private static void watchWhileSetting(String file, String[] watch) throws InterruptedException {
        Thread watcher = new Thread(() -> Flagctl.run(watch, sink(), sink(), Map.of()));
        watcher.start();
        for (int i = 0; i < 500 && watcher.isAlive(); i++) {
            Flagctl.run(new String[] {"-f", file, "incr", "drain"}, sink(), sink(), Map.of());
            watcher.join(10);
        }
        watcher.interrupt();
        watcher.join();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static PrintStream sink() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
