package io.maintd.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The .deb as dpkg-deb and lintian read it: file list, conffiles, Depends, no lintian error. */
@Timeout(300)
class DebianPackageIT {
    @Test
    void containsTheLaunchersUnitsConfigManPagesAndCompletion() throws Exception {
        String listing = Commands.run(List.of("dpkg-deb", "-c", Artifacts.deb().toString()), 60).ok().out();
        Set<String> paths = new TreeSet<>();
        for (String line : listing.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            paths.add(fields[5].substring(1) + (fields.length > 6 ? " " + String.join(" ", List.of(fields).subList(6, fields.length)) : ""));
        }
        List<String> missing = new ArrayList<>();
        for (String expected : List.of(
                "/usr/bin/maintd -> ../share/maintd/bin/maintd",
                "/usr/bin/flagctl -> ../share/maintd/bin/flagctl",
                "/usr/share/maintd/bin/maintd", "/usr/share/maintd/bin/flagctl",
                "/usr/share/maintd/lib/flagctl.jar", "/usr/share/maintd/lib/flagctl.classlist",
                "/usr/share/maintd/cache -> /var/cache/maintd",
                "/lib/systemd/system/maintd.service", "/lib/systemd/system/maintd.socket",
                "/usr/lib/sysusers.d/maintd.conf", "/usr/lib/tmpfiles.d/maintd.conf",
                "/etc/maintd/maintd.yaml", "/etc/maintd/maintenance.html", "/etc/default/maintd",
                "/usr/share/man/man1/flagctl.1.gz", "/usr/share/man/man5/maintd.yaml.5.gz",
                "/usr/share/man/man8/maintd.8.gz",
                "/usr/share/bash-completion/completions/flagctl",
                "/usr/share/zsh/vendor-completions/_flagctl",
                "/usr/share/fish/vendor_completions.d/flagctl.fish",
                "/usr/share/doc/maintd/copyright", "/usr/share/doc/maintd/operations.md")) {
            if (!paths.contains(expected)) {
                missing.add(expected);
            }
        }
        assertEquals(List.of(), missing, listing);
        assertTrue(paths.stream().anyMatch(p -> p.matches("/usr/share/maintd/lib/maintd/maintd-daemon-.*\\.jar")), listing);
        assertTrue(paths.stream().anyMatch(p -> p.matches("/usr/share/maintd/lib/maintd/netty-.*\\.jar")), listing);
        assertTrue(listing.contains("-rwxr-xr-x root/root") && listing.contains("./usr/share/maintd/bin/maintd"), listing);
        assertTrue(listing.matches("(?s).*-rw------- root/root +\\d+ [-0-9 :]+\\./etc/default/maintd\\n.*"),
                "the file that may hold the bypass token is 0600:\n" + listing);
    }

    @Test
    void marksTheOperatorsFilesAsConffilesAndDependsOnAJava17Runtime() throws Exception {
        String deb = Artifacts.deb().toString();
        String conffiles = Commands.run(List.of("sh", "-c", "dpkg-deb --ctrl-tarfile \"$1\" | tar -xOf - ./conffiles",
                "conffiles", deb), 60).ok().out();
        assertEquals(Set.of("/etc/maintd/maintd.yaml", "/etc/maintd/maintenance.html", "/etc/default/maintd"),
                Set.copyOf(conffiles.lines().toList()));
        String depends = Commands.run(List.of("dpkg-deb", "-f", deb, "Depends"), 60).ok().out();
        assertTrue(depends.startsWith("default-jre-headless (>= 2:1.17) | java17-runtime-headless"), depends);
        String info = Commands.run(List.of("dpkg-deb", "-I", deb), 60).ok().out();
        assertTrue(info.contains(" Package: maintd\n") && info.contains(" Architecture: all\n"), info);
        for (String script : List.of("postinst", "prerm", "postrm", "triggers")) {
            assertTrue(info.contains(" " + script + " "), script + " missing:\n" + info);
        }
    }

    @Test
    void lintianFindsNoError() throws Exception {
        Commands.require("lintian", "lintian");
        Commands.Result lintian = Commands.run(List.of("lintian", "--no-tag-display-limit", Artifacts.deb().toString()), 240);
        List<String> errors = lintian.out().lines().filter(l -> l.startsWith("E: ")).toList();
        assertEquals(List.of(), errors, lintian.out());
    }

}
