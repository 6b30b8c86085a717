package io.maintd.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The tarball unpacked somewhere else, as on a non-Debian host: relocatable, through symlinks, demo included. */
@Timeout(300)
class TarballIT {
    @TempDir
    Path dir;

    private Path unpack() throws Exception {
        Path opt = Files.createDirectories(dir.resolve("some/other/opt"));
        Commands.run(List.of("tar", "-xzf", Artifacts.tarball().toString(), "-C", opt.toString()), 120).ok();
        try (Stream<Path> trees = Files.list(opt)) {
            return trees.findFirst().orElseThrow();
        }
    }

    @Test
    void holdsTheDocumentedTree() throws Exception {
        Path root = unpack();
        for (String entry : List.of("bin/maintd", "bin/flagctl", "lib/flagctl.jar", "lib/maintd", "conf/maintd.yaml",
                "systemd/maintd.service", "man/flagctl.1", "man/maintd.8", "man/maintd.yaml.5", "cache")) {
            assertTrue(Files.exists(root.resolve(entry)), entry);
        }
        assertTrue(Files.isExecutable(root.resolve("bin/maintd")) && Files.isExecutable(root.resolve("bin/flagctl")));
    }

    @Test
    void flagctlRunsThroughASymlinkAndMakesItsArchiveInTheTree() throws Exception {
        Path root = unpack();
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("bin")).resolve("flagctl"),
                root.resolve("bin/flagctl"));
        ProcessBuilder first = new ProcessBuilder(link.toString(), "--version").directory(Path.of("/").toFile());
        Commands.Result version = Commands.run(first, 120).ok();
        assertTrue(version.out().matches("flagctl \\S+ \\(commit \\S+\\)\n"), version.out());
        try (Stream<Path> cache = Files.list(root.resolve("cache"))) {
            assertTrue(cache.anyMatch(f -> f.getFileName().toString().matches("flagctl-.+\\.jsa")),
                    "the first run made the archive for this runtime");
        }
        ProcessBuilder strict = new ProcessBuilder(link.toString(), "--version");
        strict.environment().put("FLAGCTL_JAVA_OPTS", "-Xshare:on");
        assertEquals(version.out(), Commands.run(strict, 60).ok().out(), "the second run maps it");
    }

    @Test
    void demoRunsFromTheUnpackedTree() throws Exception {
        Path root = unpack();
        Process demo = new ProcessBuilder(root.resolve("bin/maintd").toString(), "demo", "--listen", "127.0.0.1:0",
                "--admin", "127.0.0.1:0").directory(root.toFile()).redirectError(dir.resolve("demo.log").toFile()).start();
        try {
            String proxy = null;
            BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null && !line.equals("Try:"); line = out.readLine()) {
                if (line.startsWith("  proxy:")) {
                    proxy = line.split("\\s+")[2];
                }
            }
            assertTrue(proxy != null, "the demo printed its address: " + Files.readString(dir.resolve("demo.log")));
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(URI.create(proxy)).build();
            assertEquals(200, http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode());
            Commands.run(new ProcessBuilder(root.resolve("bin/flagctl").toString(), "--file", "var/flags", "set", "maint",
                    "1").directory(root.toFile()), 60).ok();
            HttpResponse<String> page = http.send(get, HttpResponse.BodyHandlers.ofString());
            assertEquals(503, page.statusCode());
            assertEquals(Files.readString(root.resolve("conf/maintenance.html")), page.body());
        } finally {
            demo.destroy();
            if (!demo.waitFor(30, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }
}
