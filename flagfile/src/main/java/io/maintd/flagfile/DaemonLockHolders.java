package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.DAEMON_LOCK_OFFSET;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which processes hold a flag file's daemon lock (a POSIX write lock on byte
 * {@link FlagFileLayout#DAEMON_LOCK_OFFSET}), read from {@code /proc/locks}, which any user may
 * read. This tells {@code flagctl status} whether the daemon named in a file's header serves
 * <em>that</em> file, or one that was deleted or replaced at the path after it started, without
 * taking the lock itself (which would make a daemon starting at that moment fail).
 */
public final class DaemonLockHolders {
    /** A process holding the daemon lock of the file with this device and inode. */
    public record Holder(long pid, long device, long inode) {
    }

    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private final List<Holder> holders;
    private final boolean known;

    private DaemonLockHolders(List<Holder> holders, boolean known) {
        this.holders = holders;
        this.known = known;
    }

    /** The daemon locks held on this host now; {@link #known()} is false when {@code /proc/locks} cannot be read. */
    public static DaemonLockHolders now() {
        try {
            return parse(Files.readAllLines(PROC_LOCKS));
        } catch (IOException | RuntimeException e) {
            return new DaemonLockHolders(List.of(), false);
        }
    }

    /** False when the lock table could not be read: then nobody can be said not to hold a lock. */
    public boolean known() {
        return known;
    }

    /**
     * Lines like {@code 12: POSIX  ADVISORY  WRITE 1228 fe:00:2154725 1024 1024}: type, mode,
     * access, pid, major:minor:inode (hex:hex:decimal), first and last byte. Waiters ("->") and
     * anything else are skipped.
     */
    static DaemonLockHolders parse(List<String> lines) {
        List<Holder> found = new ArrayList<>();
        String lockByte = Integer.toString(DAEMON_LOCK_OFFSET);
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 8 || !f[1].equals("POSIX") || !f[3].equals("WRITE") || !f[6].equals(lockByte)
                    || !f[7].equals(lockByte)) {
                continue;
            }
            String[] id = f[5].split(":");
            if (id.length != 3) {
                continue;
            }
            try {
                long device = encodeDevice(Long.parseLong(id[0], 16), Long.parseLong(id[1], 16));
                found.add(new Holder(Long.parseLong(f[4]), device, Long.parseLong(id[2])));
            } catch (NumberFormatException e) {
                // Not a line of the format above: skip it.
            }
        }
        return new DaemonLockHolders(List.copyOf(found), true);
    }

    /** The holder of the daemon lock of the file at {@code path} (device and inode), or null. */
    public Holder of(Path path) throws IOException {
        long device = ((Number) Files.getAttribute(path, "unix:dev")).longValue();
        long inode = ((Number) Files.getAttribute(path, "unix:ino")).longValue();
        for (Holder h : holders) {
            if (h.device() == device && h.inode() == inode) {
                return h;
            }
        }
        return null;
    }

    /** Linux's {@code new_encode_dev}: how a {@code st_dev} is built from major and minor. */
    static long encodeDevice(long major, long minor) {
        return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }
}
