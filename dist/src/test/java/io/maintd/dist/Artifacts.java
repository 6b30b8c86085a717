package io.maintd.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What mvn package made in dist/target, which these tests install. */
final class Artifacts {
    /** Set by failsafe. */
    static final Path TARGET = Path.of(System.getProperty("dist.target", "target")).toAbsolutePath().normalize();
    static final Path ROOT = Path.of(System.getProperty("maintd.root", "..")).toAbsolutePath().normalize();

    private Artifacts() {
    }

    static Path deb() throws IOException {
        return one("maintd_", "_all.deb");
    }

    static Path tarball() throws IOException {
        return one("maintd-", ".tar.gz");
    }

    private static Path one(String prefix, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(suffix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "*" + suffix + " in " + TARGET
                            + ": these tests run after mvn package"));
        }
    }
}
