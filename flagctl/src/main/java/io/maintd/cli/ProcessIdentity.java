package io.maintd.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's pid and effective uid, for the audit log. */
final class ProcessIdentity {
    private ProcessIdentity() {
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    /** The owner of /proc/self is the effective uid (the JDK has no geteuid); -1 without /proc. */
    static long uid() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
