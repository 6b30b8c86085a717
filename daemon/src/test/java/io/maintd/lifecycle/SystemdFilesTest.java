package io.maintd.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The files under {@code systemd/}, checked with systemd's own tools: the units with
 * {@code systemd-analyze verify}, the sysusers and tmpfiles snippets by applying them to a
 * scratch root, the upgrade script with bash.
 */
@Timeout(120)
class SystemdFilesTest {
    private static final Path SYSTEMD = Path.of("").toAbsolutePath().getParent().resolve("systemd");
    private static final String SERVICE = "maintd.service";
    private static final String SOCKET = "maintd.socket";
    private static final String SCRIPT = "rolling-upgrade.sh";

    @TempDir
    Path dir;

    /** What a command printed and how it exited. */
    private record Run(int exit, String output) {
    }

    @Test
    void unitsPassSystemdAnalyzeVerify() throws Exception {
        Path units = unitsWithRunnableExecStart();
        Run verify = verify(units);
        assertEquals(List.of(), problemsIn(verify), verify.output());
        assertEquals(0, verify.exit, verify.output());
    }

    /** The load monitor's template unit, instantiated as systemd would for {@code maintd-follow@shed}. */
    @Test
    void followUnitPassesSystemdAnalyzeVerify() throws Exception {
        Path flagctl = dir.resolve("flagctl");
        Files.writeString(flagctl, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(flagctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        String text = Files.readString(SYSTEMD.resolve("maintd-follow@.service"));
        assertTrue(text.contains("ExecStart=/usr/bin/flagctl "), "ExecStart changed; update this test");
        assertTrue(text.contains(" follow %i "), "the instance name is the profile");
        Path unit = Files.writeString(Files.createDirectories(dir.resolve("follow")).resolve("maintd-follow@shed.service"),
                text.replace("ExecStart=/usr/bin/flagctl ", "ExecStart=" + flagctl + " "));
        Run verify = run(List.of("systemd-analyze", "verify", "--man=no", unit.toString()));
        assertEquals(List.of(), verify.output().lines().filter(l -> l.contains("maintd-follow")).toList(), verify.output());
        assertEquals(0, verify.exit, verify.output());
    }

    /** systemd-analyze exits 0 on most unit errors ("..., ignoring"), so the check reads its output too. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Type=notify | Type=notfy",
            "TimeoutStopSec=45s | TimeoutStopSec=45x",
            "ProtectSystem=strict | ProtectSytem=strict",
            "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX | RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIXX",
    })
    void theSameCheckCatchesABrokenLine(String line, String broken) throws Exception {
        Path units = unitsWithRunnableExecStart();
        Path service = units.resolve(SERVICE);
        String text = Files.readString(service);
        assertTrue(text.contains(line + "\n"), "the unit no longer has: " + line);
        Files.writeString(service, text.replace(line + "\n", broken + "\n"));
        assertFalse(problemsIn(verify(units)).isEmpty(), "not caught: " + broken);
    }

    @Test
    void theSameCheckCatchesAMissingExecutable() throws Exception {
        Path units = copyUnits();
        Run verify = verify(units);
        assertTrue(verify.exit != 0 || !problemsIn(verify).isEmpty(), verify.output());
        assertTrue(verify.output().contains("/usr/bin/maintd"), verify.output());
    }

    @Test
    void stopTimeoutLeavesRoomForTheDefaultThirtySecondDrain() throws IOException {
        Duration stop = Duration.ofSeconds(Long.parseLong(setting(SERVICE, "TimeoutStopSec").replace("s", "")));
        assertTrue(stop.compareTo(Duration.ofSeconds(30)) > 0, "TimeoutStopSec=" + stop);
    }

    @Test
    void socketPassesTheListenerUnderTheNameTheDaemonAsksFor() throws IOException {
        assertEquals("http", setting(SOCKET, "FileDescriptorName"));
        assertEquals(SERVICE, setting(SOCKET, "Service"));
    }

    @Test
    void sysusersAndTmpfilesPrepareTheStateDirectory() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Run users = run(List.of("systemd-sysusers", "--root=" + root, SYSTEMD.resolve("sysusers.d/maintd.conf").toString()));
        assertEquals(0, users.exit, users.output());
        String uid = idOf(root.resolve("etc/passwd"));
        String gid = idOf(root.resolve("etc/group"));

        Path tmpfiles = SYSTEMD.resolve("tmpfiles.d/maintd.conf");
        Run create = run(List.of("systemd-tmpfiles", "--create", "--root=" + root, tmpfiles.toString()));
        assertEquals(0, create.exit, create.output());
        Path state = root.resolve("var/lib/maintd");
        assertEquals("2770 " + uid + ":" + gid, statOf(state));
        assertFalse(Files.exists(state.resolve("flags")), "tmpfiles must not create the flag file");

        // A flag file created with the wrong mode is fixed on the next run. It must belong to
        // maintd: tmpfiles refuses to follow a path from maintd's directory into another user's file.
        Path flags = Files.createFile(state.resolve("flags"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Run chown = run(List.of("chown", uid + ":" + gid, flags.toString()));
        assertEquals(0, chown.exit, chown.output());
        Run fix = run(List.of("systemd-tmpfiles", "--create", "--root=" + root, tmpfiles.toString()));
        assertEquals(0, fix.exit, fix.output());
        assertEquals("660 " + uid + ":" + gid, statOf(flags));
    }

    @Test
    void rollingUpgradeScriptParses() throws Exception {
        Run syntax = run(List.of("bash", "-n", SYSTEMD.resolve(SCRIPT).toString()));
        assertEquals(0, syntax.exit, syntax.output());
    }

    @Test
    void rollingUpgradeHelpDescribesBothCommandsAndExitCodes() throws Exception {
        Run help = run(List.of(SYSTEMD.resolve(SCRIPT).toString(), "--help"));
        assertEquals(0, help.exit, help.output());
        for (String expected : List.of("upgrade", "maintenance-window", "flagctl wait noticed", "flagctl wait inflight --le 0",
                "flagctl set maint 1 --for", "Exit codes:")) {
            assertTrue(help.output().contains(expected), "--help lacks " + expected);
        }
    }

    @Test
    void rollingUpgradeRejectsAnUnknownOptionAsUsageError() throws Exception {
        Run bad = run(List.of(SYSTEMD.resolve(SCRIPT).toString(), "upgrade", "--drian-timeout", "5s"));
        assertEquals(2, bad.exit, bad.output());
        assertTrue(bad.output().contains("unknown option '--drian-timeout'"), bad.output());
    }

    @Test
    void rollingUpgradeStopsAtTheFirstFailedStep() throws Exception {
        Run failed = run(List.of(SYSTEMD.resolve(SCRIPT).toString(), "upgrade",
                "--flagctl", dir.resolve("no-such-flagctl").toString(), "--", "touch", dir.resolve("hook-ran").toString()));
        assertEquals(3, failed.exit, failed.output());
        assertTrue(failed.output().contains("failed: flagctl set drain 1"), failed.output());
        assertFalse(Files.exists(dir.resolve("hook-ran")), "the hook ran although draining failed");
    }

    /** The units in a scratch directory, with ExecStartPre/ExecStart/ExecReload pointing at an executable that exists here. */
    private Path unitsWithRunnableExecStart() throws IOException {
        Path units = copyUnits();
        Path binary = dir.resolve("maintd");
        Files.writeString(binary, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path service = units.resolve(SERVICE);
        String text = Files.readString(service);
        assertTrue(text.contains("ExecStart=/usr/bin/maintd "), "ExecStart changed; update this test");
        Files.writeString(service, text.replace("=/usr/bin/maintd ", "=" + binary + " "));
        return units;
    }

    private Path copyUnits() throws IOException {
        Path units = Files.createDirectories(dir.resolve("units"));
        for (String unit : List.of(SERVICE, SOCKET)) {
            Files.copy(SYSTEMD.resolve(unit), units.resolve(unit));
        }
        return units;
    }

    private static Run verify(Path units) throws Exception {
        return run(List.of("systemd-analyze", "verify", "--man=no",
                units.resolve(SERVICE).toString(), units.resolve(SOCKET).toString()));
    }

    /** Lines where systemd-analyze complains about one of our units. */
    private static List<String> problemsIn(Run verify) {
        List<String> problems = new ArrayList<>();
        for (String line : verify.output().lines().toList()) {
            if (line.contains(SERVICE) || line.contains(SOCKET)) {
                problems.add(line);
            }
        }
        return problems;
    }

    private static String setting(String unit, String key) throws IOException {
        return Files.readAllLines(SYSTEMD.resolve(unit)).stream()
                .filter(l -> l.startsWith(key + "="))
                .map(l -> l.substring(key.length() + 1))
                .findFirst()
                .orElseThrow(() -> new AssertionError(unit + " has no " + key + "="));
    }

    /** The numeric id of "maintd" in a passwd or group file. */
    private static String idOf(Path database) throws IOException {
        return Files.readAllLines(database).stream()
                .filter(l -> l.startsWith("maintd:"))
                .map(l -> l.split(":")[2])
                .findFirst()
                .orElseThrow(() -> new AssertionError("no maintd in " + database));
    }

    private static String statOf(Path path) throws Exception {
        Run stat = run(List.of("stat", "-c", "%a %u:%g", path.toString()));
        assertEquals(0, stat.exit, stat.output());
        return stat.output().trim();
    }

    private static Run run(List<String> command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0)
                    + " (systemd-analyze, systemd-sysusers and systemd-tmpfiles come with Debian's systemd package)", e);
        }
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
