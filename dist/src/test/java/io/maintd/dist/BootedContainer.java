package io.maintd.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Debian 12 system booted with systemd as PID 1 by {@code systemd-nspawn -b}, on an overlay of
 * the cached {@link DebianRootfs}, sharing the host's network (so its ports are on this
 * machine's loopback). Commands run inside through {@code nsenter} into its namespaces.
 */
final class BootedContainer implements AutoCloseable {
    private final Path dir;
    private final Path merged;
    private final Process nspawn;
    private final long pid1;

    private BootedContainer(Path dir, Path merged, Process nspawn, long pid1) {
        this.dir = dir;
        this.merged = merged;
        this.nspawn = nspawn;
        this.pid1 = pid1;
    }

    /** Boots and returns once systemd reports the system up (running, or degraded by some unit of Debian's). */
    static BootedContainer boot() throws IOException, InterruptedException {
        Commands.requireRoot("booting a container with systemd-nspawn needs root");
        Path nspawnTool = Commands.require("systemd-nspawn", "systemd-container");
        Commands.require("nsenter", "util-linux");
        Path lower = DebianRootfs.get();
        Path dir = Files.createTempDirectory("maintd-container-");
        Path merged = Files.createDirectories(dir.resolve("merged"));
        Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(dir.resolve("work"));
        Commands.run(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lower + ",upperdir="
                + dir.resolve("upper") + ",workdir=" + dir.resolve("work"), merged.toString()), 60).ok();
        Process nspawn = new ProcessBuilder(nspawnTool.toString(), "-D", merged.toString(), "-b", "--register=no",
                "--keep-unit", "--quiet").redirectErrorStream(true).redirectOutput(dir.resolve("console.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        try {
            BootedContainer container = new BootedContainer(dir, merged, nspawn, awaitPid1(nspawn, dir));
            container.awaitUp();
            return container;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            stop(nspawn);
            unmount(dir, merged);
            throw e;
        }
    }

    /** Until systemd's bus answers and it says the boot is done; the bus is not there in the first moments. */
    private void awaitUp() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String state = "";
        while (System.nanoTime() < deadline) {
            state = exec(List.of("systemctl", "is-system-running", "--wait"), 120).out().strip();
            if (state.equals("running") || state.equals("degraded")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the container did not come up: " + state + "\n" + console());
    }

    /** systemd, the child nspawn starts in the container's pid namespace. */
    private static long awaitPid1(Process nspawn, Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && nspawn.isAlive()) {
            Optional<ProcessHandle> systemd = nspawn.toHandle().children()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/systemd")).orElse(false)).findFirst();
            if (systemd.isPresent()) {
                return systemd.get().pid();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("systemd-nspawn started no systemd within 60 s (alive: " + nspawn.isAlive() + "):\n"
                + Files.readString(dir.resolve("console.log")));
    }

    /** Runs {@code command} inside, as root, in the container's mount, UTS, IPC, network and pid namespaces. */
    Commands.Result exec(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid1), "-m", "-u", "-i", "-n", "-p",
                "--"));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full);
        builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        builder.environment().put("SYSTEMD_PAGER", "");
        return Commands.run(builder, timeoutSeconds);
    }

    Commands.Result sh(String script) throws IOException, InterruptedException {
        return exec(List.of("sh", "-c", script), 120);
    }

    /** A path inside the container, as this host sees it through the overlay. */
    Path path(String inside) {
        return merged.resolve(inside.startsWith("/") ? inside.substring(1) : inside);
    }

    String console() throws IOException {
        return Files.readString(dir.resolve("console.log"));
    }

    /** Powers it off (nspawn turns SIGTERM into a clean shutdown of a booted container) and removes the overlay. */
    @Override
    public void close() throws IOException, InterruptedException {
        stop(nspawn);
        unmount(dir, merged);
    }

    private static void stop(Process nspawn) throws InterruptedException {
        nspawn.destroy();
        if (!nspawn.waitFor(60, TimeUnit.SECONDS)) {
            nspawn.destroyForcibly();
            nspawn.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void unmount(Path dir, Path merged) throws IOException, InterruptedException {
        Commands.run(List.of("umount", merged.toString()), 60);
        Commands.run(List.of("rm", "-rf", dir.toString()), 300);
    }
}
