package io.maintd.cli;

import io.maintd.flagfile.DaemonLockHolders;
import io.maintd.flagfile.DaemonStatus;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Whether the daemon a flag file's header names serves <em>this</em> file. A file put in place
 * of the one maintd mapped (a restored copy, a rename over it) carries that daemon's pid but
 * not its lock, which stays on the old file; the kernel's lock table tells them apart.
 */
final class DaemonServing {
    private DaemonServing() {
    }

    /** Why the daemon named in the header does not serve {@code file}; null when it does, or when that cannot be told. */
    static String problem(Path file, DaemonStatus daemon) {
        if (daemon.pid() == 0 || !runsMaintd(daemon.pid())) {
            return null;
        }
        DaemonLockHolders locks = DaemonLockHolders.now();
        if (!locks.known()) {
            return null;
        }
        DaemonLockHolders.Holder holder;
        try {
            holder = locks.of(file);
        } catch (IOException e) {
            return null;
        }
        if (holder != null && holder.pid() == daemon.pid()) {
            return null;
        }
        return "maintd pid " + daemon.pid() + " runs but holds no lock on this file: it serves a flag file that was "
                + "deleted or replaced at this path after it started, and flagctl changes this one, not what it serves; "
                + "restart maintd to serve this file";
    }

    /** The pid runs the maintd daemon, not a process that got the pid after it died. */
    private static boolean runsMaintd(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(p -> p.info().commandLine())
                .map(command -> command.contains("io.maintd.daemon.MaintdMain"))
                .orElse(false);
    }
}
