package io.maintd.daemon;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagFileLayout;
import io.maintd.flagfile.FlagReader;
import io.maintd.health.BackendCounters;
import io.maintd.flagfile.StandardFlags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private copy of the flag file with the standard flags and backend counters the daemon would add, so
 * {@code --check-config} resolves rules exactly as a start would, without writing to the
 * real file (which may belong to a running daemon, or may not exist yet).
 */
final class ScratchFlags implements AutoCloseable {
    private final Path dir;
    private final FlagFile file;

    private ScratchFlags(Path dir, FlagFile file) {
        this.dir = dir;
        this.file = file;
    }

    /** @param backends the config's backend names, whose {@code servers_up.} counters rules may name */
    static ScratchFlags copyOf(Path flagsFile, Collection<String> backends) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("maintd-check-");
            Path copy = dir.resolve("flags");
            if (Files.exists(flagsFile)) {
                // Validates the real file (and reports what is wrong with it) before copying.
                FlagFile.openReadOnly(flagsFile).close();
                Files.copy(flagsFile, copy, StandardCopyOption.COPY_ATTRIBUTES);
            } else {
                FlagFile.createIfMissing(copy, FlagFileLayout.DEFAULT_SLOT_COUNT, FlagFile.DEFAULT_MODE, null);
            }
            FlagFile file = FlagFile.openReadWrite(copy);
            StandardFlags.defineMissing(file.writer());
            BackendCounters.defineFor(file.writer(), backends);
            return new ScratchFlags(dir, file);
        } catch (IOException e) {
            delete(dir);
            throw new UncheckedIOException("cannot make a scratch copy of " + flagsFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    FlagReader reader() {
        return file.reader();
    }

    @Override
    public void close() {
        file.close();
        delete(dir);
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover scratch directory in /tmp is harmless and cleaned by the OS.
        }
    }
}
