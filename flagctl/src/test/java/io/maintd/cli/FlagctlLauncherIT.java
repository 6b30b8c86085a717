package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.maintd.flagfile.AuditLog;
import io.maintd.testsupport.FlagctlRun;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * flagctl through {@code bin/flagctl}: separate JVMs on one real flag file, using the jar and
 * AppCDS archive the package phase built.
 */
@Timeout(300)
class FlagctlLauncherIT {
    /** Runs as this user (nobody) via setpriv when the tests run as root. */
    private static final List<String> AS_NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void createFlagFile() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        file = dir.resolve("flags");
        assertEquals(0, Launcher.run("--file", file.toString(), "init").exit());
        assertEquals(0, Launcher.run("--file", file.toString(), "create", "maint").exit());
    }

    @Test
    void setAndGetWorkAcrossProcesses() throws Exception {
        FlagctlRun set = Launcher.run("--file", file.toString(), "set", "maint", "1");
        assertEquals(0, set.exit(), set::toString);
        assertEquals("maint: 0 -> 1\n", set.out());
        FlagctlRun get = Launcher.run("--file", file.toString(), "get", "maint");
        assertEquals(0, get.exit(), get::toString);
        assertEquals("1\n", get.out());
        assertEquals("", get.err());
    }

    @Test
    void launcherMapsTheArchiveTheBuildMade() throws Exception {
        // -Xshare:on turns "archive unusable" (stale, other class path) from silent into fatal.
        FlagctlRun run = Launcher.run(List.of(), Map.of("FLAGCTL_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info"),
                "--file", file.toString(), "get", "maint");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("io.maintd.cli.Flagctl source: shared objects file"), run.out());
        assertTrue(run.out().contains("\n0\n"), run.out());
    }

    @Test
    void waitReturnsWhenAnotherProcessSetsTheValue() throws Exception {
        Process wait = Launcher.start("--file", file.toString(), "wait", "maint", "--eq", "1", "--timeout", "120s");
        BufferedReader waitErr = Launcher.stderrOf(wait);
        Launcher.awaitStderrLine(wait, waitErr, "waiting for maint == 1 (now 0), timeout 120s");
        assertEquals(0, Launcher.run("--file", file.toString(), "set", "maint", "1").exit());
        assertTrue(wait.waitFor(120, TimeUnit.SECONDS));
        String out = new String(wait.getInputStream().readAllBytes());
        assertEquals(0, wait.exitValue(), out);
        assertTrue(out.startsWith("maint = 1 (== 1) after "), out);
    }

    @Test
    void waitTimesOutWithExit7() throws Exception {
        FlagctlRun run = Launcher.run("--file", file.toString(), "wait", "maint", "--ge", "1", "--timeout", "300ms");
        assertEquals(7, run.exit(), run::toString);
        assertTrue(run.err().contains("flagctl: timed out after 300ms waiting for maint >= 1 (it is 0)"), run::toString);
    }

    @Test
    void watchPrintsAChangeMadeByAnotherProcess() throws Exception {
        Process watch = Launcher.start("--file", file.toString(), "watch", "maint", "--count", "1");
        Launcher.awaitStderrLine(watch, Launcher.stderrOf(watch), "watching maint in " + file);
        FlagctlRun set = Launcher.run("--file", file.toString(), "set", "maint", "1");
        assertTrue(watch.waitFor(120, TimeUnit.SECONDS));
        String out = new String(watch.getInputStream().readAllBytes());
        assertEquals(0, watch.exitValue(), out);
        assertTrue(out.matches("\\S+Z maint 0 -> 1 \\(\\S+ pid " + set.pid() + "\\)\n"), out);
    }

    @Test
    void watchStoppedBySigintExits130() throws Exception {
        Process watch = Launcher.start("--file", file.toString(), "watch");
        Launcher.awaitStderrLine(watch, Launcher.stderrOf(watch), "watching all flags");
        Process kill = new ProcessBuilder("sh", "-c", "kill -INT " + watch.pid()).start();
        assertTrue(kill.waitFor(60, TimeUnit.SECONDS));
        assertTrue(watch.waitFor(120, TimeUnit.SECONDS));
        assertEquals(130, watch.exitValue());
    }

    @Test
    void concurrentIncrementsFromManyProcessesLoseNothingAndLogEveryOne() throws Exception {
        int processes = 8;
        int perProcess = 25;
        assertEquals(0, Launcher.run("--file", file.toString(), "create", "hits").exit());
        List<Process> loops = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            loops.add(new ProcessBuilder("sh", "-c",
                    "i=0; while [ $i -lt " + perProcess + " ]; do \"$0\" --file \"$1\" incr hits >/dev/null || exit 1; "
                            + "i=$((i+1)); done", Launcher.PATH.toString(), file.toString())
                    .redirectErrorStream(true).start());
        }
        for (Process p : loops) {
            assertTrue(p.waitFor(280, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), () -> new String(readAll(p)));
        }
        assertEquals("200\n", Launcher.run("--file", file.toString(), "get", "hits").out());
        // Every audit line is whole (no interleaving) and each increment's new value appears once.
        Set<Long> newValues = new HashSet<>();
        for (String line : Files.readAllLines(AuditLog.pathFor(file))) {
            if (line.contains(" op=incr ")) {
                assertTrue(line.matches("time=\\S+Z user=\\S+ uid=\\d+ pid=\\d+ op=incr flag=hits old=(\\d+) new=(\\d+) "
                        + "expires=- reason=-"), line);
                newValues.add(Long.parseLong(line.replaceAll(".* new=(\\d+) .*", "$1")));
            }
        }
        assertEquals(processes * perProcess, newValues.size());
        assertTrue(newValues.contains(1L) && newValues.contains(200L));
    }

    @Test
    void callerWithoutPermissionGetsExit4() throws Exception {
        assumeTrue(Launcher.isRoot(), "needs root to run flagctl as another user");
        FlagctlRun run = Launcher.run(AS_NOBODY, Map.of(), "--file", file.toString(), "set", "maint", "1");
        assertEquals(4, run.exit(), run::toString);
        assertTrue(run.err().contains("permission denied opening for writing (mode rw-rw----, owner root, group"), run::toString);
        assertTrue(run.err().contains("you are uid 65534"), run::toString);
    }

    @Test
    void unwritableAuditLogRefusesTheWriteBeforeItHappens() throws Exception {
        assumeTrue(Launcher.isRoot(), "needs root to run flagctl as another user");
        GroupPrincipal nogroup = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("nogroup");
        Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(nogroup);
        Files.getFileAttributeView(AuditLog.pathFor(file), PosixFileAttributeView.class).setGroup(nogroup);
        Files.setPosixFilePermissions(AuditLog.pathFor(file), PosixFilePermissions.fromString("rw-r-----"));
        FlagctlRun run = Launcher.run(AS_NOBODY,
                Map.of(), "--file", file.toString(), "set", "maint", "1");
        assertEquals(4, run.exit(), run::toString);
        assertTrue(run.err().contains(AuditLog.pathFor(file) + ": cannot append to the audit log: permission denied; "
                + "nothing was changed"), run::toString);
        assertEquals("0\n", Launcher.run("--file", file.toString(), "get", "maint").out());
    }

    @Test
    void readingTheAuditLogWithoutPermissionIsExit4() throws Exception {
        assumeTrue(Launcher.isRoot(), "needs root to run flagctl as another user");
        assertEquals(0, Launcher.run("--file", file.toString(), "set", "maint", "1").exit());

        FlagctlRun run = Launcher.run(AS_NOBODY, Map.of(), "--file", file.toString(), "log");

        assertEquals(4, run.exit(), run::toString);
        assertEquals("flagctl: " + AuditLog.pathFor(file) + ": cannot read the audit log: permission denied (mode rw-rw----, "
                + "owner root, group root; you are uid 65534)\n", run.err());
    }

    @Test
    void listToAFullDiskExits1() throws Exception {
        Process p = Launcher.builder(List.of(), Map.of(), "--file", file.toString(), "list")
                .redirectOutput(new java.io.File("/dev/full")).start();

        FlagctlRun run = Launcher.finish(p);

        assertEquals(1, run.exit(), run::toString);
        assertEquals("flagctl: cannot write to standard output (disk full, or the reader went away)\n", run.err());
    }

    @Test
    void watchStopsWithExit1WhenItsReaderGoesAway() throws Exception {
        Process watch = Launcher.start("--file", file.toString(), "watch", "maint");
        Launcher.awaitStderrLine(watch, Launcher.stderrOf(watch), "Ctrl-C to stop");
        watch.getInputStream().close(); // what `flagctl watch | head -1` does once head has its line

        for (int i = 1; watch.isAlive() && i <= 200; i++) {
            assertEquals(0, Launcher.run("--file", file.toString(), "set", "maint", Integer.toString(i)).exit());
            watch.waitFor(50, TimeUnit.MILLISECONDS);
        }

        assertTrue(watch.waitFor(60, TimeUnit.SECONDS), "watch kept running with nobody reading");
        assertEquals(1, watch.exitValue());
    }

    @Test
    void launcherWithoutABuiltJarSaysHowToBuild() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("repo/bin"));
        Path copy = Files.copy(Launcher.PATH, bin.resolve("flagctl"));
        Process p = new ProcessBuilder(copy.toString(), "get", "maint").start();
        FlagctlRun run = Launcher.finish(p);
        assertEquals(1, run.exit(), run::toString);
        Path repo = dir.resolve("repo").toRealPath();
        assertEquals("flagctl: " + repo + "/flagctl/target/flagctl.jar is missing; "
                + "build it first: (cd " + repo + " && mvn -B -q package -DskipTests)\n", run.err());
    }

    @Test
    void launcherFollowsASymlinkFromAnyDirectoryAndStillMapsTheArchive() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("flagctl"), Launcher.PATH);
        ProcessBuilder pb = new ProcessBuilder(link.toString(), "--file", file.toString(), "get", "maint")
                .directory(Path.of("/").toFile());
        pb.environment().put("FLAGCTL_JAVA_OPTS", "-Xshare:on");
        FlagctlRun run = Launcher.finish(pb.start());
        assertEquals(0, run.exit(), run::toString);
        assertEquals("0\n", run.out());
        assertEquals("", run.err());
    }

    @Test
    void anotherJavaRuntimeIgnoresTheArchiveWithoutAWord() throws Exception {
        Path other = otherJavaHome();
        assumeTrue(other != null, "no second Java runtime in /usr/lib/jvm besides " + System.getProperty("java.home"));
        FlagctlRun run = Launcher.run(List.of(), Map.of("JAVA_HOME", other.toString()),
                "--file", file.toString(), "get", "maint");
        assertEquals(0, run.exit(), run::toString);
        assertEquals("0\n", run.out());
        assertEquals("", run.err(), "a foreign archive costs start-up time only, never a message");
    }

    /** A JDK other than the one running the tests (whose archive the build made), or null. */
    private static Path otherJavaHome() throws java.io.IOException {
        Path running = Path.of(System.getProperty("java.home")).toRealPath();
        try (var homes = Files.list(Path.of("/usr/lib/jvm"))) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")))
                    .filter(h -> {
                        try {
                            return !h.toRealPath().equals(running) && !running.startsWith(h.toRealPath());
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    })
                    .findFirst().orElse(null);
        }
    }

    private static byte[] readAll(Process p) {
        try {
            return p.getInputStream().readAllBytes();
        } catch (java.io.IOException e) {
            return e.toString().getBytes();
        }
    }
}
