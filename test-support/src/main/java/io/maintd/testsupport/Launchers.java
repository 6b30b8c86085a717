package io.maintd.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's launchers, which the integration tests run as operators do. */
public final class Launchers {
    /** Set by failsafe; the repository root. */
    public static final Path ROOT = Path.of(System.getProperty("maintd.root", "..")).toAbsolutePath().normalize();

    private Launchers() {
    }

    public static Path maintd() {
        return existing("bin/maintd", "daemon/target/lib");
    }

    public static Path flagctl() {
        return existing("bin/flagctl", "flagctl/target/flagctl.jar");
    }

    private static Path existing(String launcher, String built) {
        if (!Files.exists(ROOT.resolve(built))) {
            throw new IllegalStateException(ROOT.resolve(built) + " is missing: these tests run after `mvn package`"
                    + " of the whole reactor (flagctl builds before daemon)");
        }
        return ROOT.resolve(launcher);
    }
}
