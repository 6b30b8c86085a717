package io.maintd.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Names the process {@code maintd} for {@code pgrep -x maintd}, {@code ps -C maintd} and top,
 * where a JVM otherwise shows as {@code java}. {@code exec -a} in the launcher would only change
 * argv[0]; those tools read the kernel's name of the main thread, which a process may set for
 * itself through {@code /proc/self/comm} (Linux 2.6.33 and later).
 */
final class ProcessName {
    static final String NAME = "maintd";

    private ProcessName() {
    }

    static void set() {
        try {
            Files.writeString(Path.of("/proc/self/comm"), NAME);
        } catch (IOException | UnsupportedOperationException e) {
            // Not Linux, or /proc is not writable: the name is cosmetic, the daemon runs anyway.
        }
    }
}
