package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagKind;
import java.nio.file.Path;

/** Real flag files for tests, made through flagctl itself or, for daemon-owned parts, the library. */
final class FlagFiles {
    private FlagFiles() {
    }

    /** A fresh file in {@code dir} holding operator flags maint=0 and drain=0. */
    static Path withMaintAndDrain(Path dir) {
        Path file = dir.resolve("flags");
        expectOk(CliRun.on(file, "init"));
        expectOk(CliRun.on(file, "create", "maint"));
        expectOk(CliRun.on(file, "create", "drain"));
        return file;
    }

    /** Adds a daemon counter, the way the daemon defines it, and publishes {@code value}. */
    static void addCounter(Path file, String name, long value) {
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            f.writer().define(name, FlagKind.COUNTER, value);
        }
    }

    static long value(Path file, String name) {
        try (FlagFile f = FlagFile.openReadOnly(file)) {
            return f.reader().handle(name).get();
        }
    }

    static void expectOk(CliRun run) {
        assertEquals(0, run.code, run::toString);
    }
}
