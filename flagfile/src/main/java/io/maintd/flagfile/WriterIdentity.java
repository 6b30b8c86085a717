package io.maintd.flagfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who this process is, stamped into every slot it writes. Resolved once per JVM. */
final class WriterIdentity {
    static final int PID = (int) ProcessHandle.current().pid();
    /** The owner of /proc/self is the effective uid; -1 when /proc is not mounted. */
    static final int UID = readUid();

    private WriterIdentity() {
    }

    private static int readUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
