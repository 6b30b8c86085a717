package io.maintd.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * dpkg -i and dpkg -P of the .deb on this host itself, for what needs no systemd as PID 1: the
 * commands, the config as shipped, the units as systemd-analyze reads them, the AppCDS archive
 * postinst makes. Here postinst only enables the units (nothing starts), and the test purges
 * the package again, leaving only the maintd system user, as Debian does.
 */
@Timeout(300)
class HostInstallIT {
    @AfterEach
    void purge() throws Exception {
        Commands.run(List.of("dpkg", "-P", "maintd"), 180);
    }

    @Test
    void installedCommandsAnswerTheConfigChecksAndTheUnitsVerify() throws Exception {
        Commands.requireRoot("dpkg -i installs into this host");
        String status = Commands.run(List.of("dpkg-query", "-W", "-f=${Status}", "maintd"), 60).out();
        assertFalse(status.contains("installed"), "maintd is already installed on this host; remove it first");
        Commands.run(List.of("dpkg", "-i", Artifacts.deb().toString()), 180).ok();

        String flagctl = Commands.run(List.of("/usr/bin/flagctl", "--version"), 60).ok().out();
        String maintd = Commands.run(List.of("/usr/bin/maintd", "--version"), 60).ok().out();
        assertTrue(flagctl.matches("flagctl \\S+ \\(commit \\S+\\)\n"), flagctl);
        assertEquals(flagctl.substring("flagctl".length()), maintd.substring("maintd".length()),
                "both print the same version and commit");
        Commands.run(List.of("/usr/bin/maintd", "--check-config", "--config", "/etc/maintd/maintd.yaml"), 60).ok();
        Commands.Result verify = Commands.run(List.of("systemd-analyze", "verify", "/lib/systemd/system/maintd.socket",
                "/lib/systemd/system/maintd.service"), 120);
        assertEquals(0, verify.code(), verify.out());
        assertFalse(verify.out().contains("maintd"), "systemd-analyze has something to say about the units:\n" + verify.out());

        // postinst made the archive for this host's runtime; -Xshare:on fails unless flagctl maps it.
        try (var archives = Files.list(Path.of("/var/cache/maintd"))) {
            assertTrue(archives.anyMatch(f -> f.getFileName().toString().matches("flagctl-.+\\.jsa")));
        }
        ProcessBuilder strict = new ProcessBuilder("/usr/bin/flagctl", "--version");
        strict.environment().putAll(Map.of("FLAGCTL_JAVA_OPTS", "-Xshare:on"));
        assertEquals(flagctl, Commands.run(strict, 60).ok().out());
        assertEquals("maintd\n", Commands.run(List.of("id", "-gn", "maintd"), 30).ok().out());
        assertEquals("2770 maintd\n", Commands.run(List.of("stat", "-c", "%a %G", "/var/lib/maintd"), 30).ok().out());

        Commands.run(List.of("dpkg", "-r", "maintd"), 180).ok();
        assertFalse(Files.exists(Path.of("/usr/bin/maintd")));
        assertTrue(Files.exists(Path.of("/etc/maintd/maintd.yaml")), "remove keeps the conffiles");
        assertTrue(Files.isDirectory(Path.of("/var/lib/maintd")), "remove keeps the state directory");
        Commands.run(List.of("dpkg", "-P", "maintd"), 180).ok();
        assertFalse(Files.exists(Path.of("/var/lib/maintd")), "purge removes the state directory");
        assertFalse(Files.exists(Path.of("/var/cache/maintd")));
    }
}
