package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A validated mapping of one flag file. Opening checks everything the layout promises before
 * any byte is written: a file that fails validation is closed untouched.
 * {@link #reader()} works on any mapping; {@link #writer()} needs one opened read-write.
 */
public final class FlagFile implements AutoCloseable {
    /**
     * Where a maintd flag file lives unless told otherwise: a state directory, not a tmpfs, so a
     * host rebooted during maintenance comes back in maintenance.
     */
    public static final String DEFAULT_PATH = "/var/lib/maintd/flags";
    public static final Set<PosixFilePermission> DEFAULT_MODE = PosixFilePermissions.fromString("rw-rw----");

    private final Path path;
    private final FileChannel channel;
    /** The file's identity (device, inode): descriptors are shared per file, not per path. */
    private final Object fileKey;
    /** The shared mapping of the file. */
    private final FlagBuffer mapping;
    /**
     * Where every read and write goes: the mapping, or, while another process has truncated the
     * file under it, a private copy of its last good contents (see {@link FlagFileKeeper}).
     */
    private volatile FlagBuffer view;
    private final int slotCount;
    private final boolean writable;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final HandleBindings handles = new HandleBindings(this);
    /** The daemon lock taken through this mapping, released by {@link #close()} at the latest. */
    private final AtomicReference<DaemonLock> daemonLock = new AtomicReference<>();

    private FlagFile(Path path, FileChannel channel, Object fileKey, FlagBuffer buffer, int slotCount, boolean writable) {
        this.path = path;
        this.channel = channel;
        this.fileKey = fileKey;
        this.mapping = buffer;
        this.view = buffer;
        this.slotCount = slotCount;
        this.writable = writable;
    }

    public static FlagFile openReadOnly(Path path) {
        return open(path, false);
    }

    /** Opens for writing; refuses a world-writable file, since anyone could flip its flags. */
    public static FlagFile openReadWrite(Path path) {
        return open(path, true);
    }

    private static FlagFile open(Path path, boolean write) {
        if (write) {
            FlagFilePermissions.refuseWorldWritable(path);
        }
        FileChannel channel;
        try {
            channel = write
                    ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new FlagFileException(FlagFileException.Reason.NOT_FOUND, path,
                    "no such flag file (create it with 'flagctl init' or start maintd)", e);
        } catch (AccessDeniedException e) {
            throw new FlagFileException(FlagFileException.Reason.PERMISSION_DENIED, path,
                    "permission denied opening for " + (write ? "writing" : "reading") + " (" + FlagFilePermissions.ownership(path)
                            + "; you are uid " + WriterIdentity.UID + ")", e);
        } catch (IOException e) {
            throw ioFailure(path, "cannot open", e);
        }
        Object fileKey;
        try {
            fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            closeQuietly(channel);
            throw ioFailure(path, "cannot stat", e);
        }
        if (fileKey == null) {
            fileKey = new Object(); // no inode identity on this file system: nothing to share
        }
        SharedDescriptors.opened(fileKey, channel);
        try {
            int slots = FlagFileValidator.validateGeometry(path, channel);
            MappedByteBuffer mapped = channel.map(write ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY,
                    0, fileLength(slots));
            FlagBuffer buffer = new FlagBuffer(mapped);
            FlagFileValidator.validateContents(path, buffer, slots);
            return new FlagFile(path, channel, fileKey, buffer, slots, write);
        } catch (IOException e) {
            SharedDescriptors.closed(fileKey);
            throw ioFailure(path, "cannot map", e);
        } catch (RuntimeException e) {
            SharedDescriptors.closed(fileKey);
            throw e;
        }
    }

    /**
     * Creates the file unless it exists. The file is built under a temporary name, fsynced
     * and then hard-linked into place, so no reader ever maps half a file and two creators
     * racing end with exactly one file. Returns true when this call created it.
     */
    public static boolean createIfMissing(Path path, int slotCount, Set<PosixFilePermission> mode, String group) {
        return FlagFileCreator.createIfMissing(path, slotCount, mode, group);
    }

    public FlagReader reader() {
        return new FlagReader(this);
    }

    public FlagWriter writer() {
        return writer(FREE_TO_REUSE_MILLIS);
    }

    /** A writer that reuses freed slots after {@code freeToReuseMillis}; tests shorten it to reach reuse. */
    FlagWriter writer(long freeToReuseMillis) {
        if (!writable) {
            throw new IllegalStateException(path + " was opened read-only");
        }
        return new FlagWriter(this, freeToReuseMillis);
    }

    public Path path() {
        return path;
    }

    public int slotCount() {
        return slotCount;
    }

    public boolean writable() {
        return writable;
    }

    /** 1 or 2; read each time, since {@code flagctl init --upgrade} may raise it while the file is open. */
    public int layoutVersion() {
        return layoutVersion(view);
    }

    static int layoutVersion(FlagBuffer buffer) {
        return (int) (buffer.getLongAcquire(MAGIC_OFFSET) >>> 32);
    }

    /** Where reads and writes go now: the mapping, or the keeper's private copy. */
    FlagBuffer buffer() {
        return view;
    }

    FlagBuffer mapping() {
        return mapping;
    }

    /** Sends every read and write, handles included, to {@code next} from now on. */
    void serveFrom(FlagBuffer next) {
        view = next;
        handles.serveFrom(next);
    }

    Object fileKey() {
        return fileKey;
    }

    HandleBindings handles() {
        return handles;
    }

    FileChannel channel() {
        return channel;
    }

    void daemonLockTaken(DaemonLock lock) {
        daemonLock.set(lock);
    }

    void daemonLockReleased(DaemonLock lock) {
        daemonLock.compareAndSet(lock, null);
    }

    /**
     * Releases the daemon lock taken through this file, if any, and gives up the descriptor; it
     * is closed once no other FlagFile of the same file is open in this JVM (see
     * {@link SharedDescriptors}). The mapping lives until unreachable.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        DaemonLock held = daemonLock.get();
        if (held != null) {
            held.close();
        }
        SharedDescriptors.closed(fileKey);
    }

    static FlagFileException ioFailure(Path path, String what, IOException e) {
        return new FlagFileException(FlagFileException.Reason.IO, path, what + " the flag file: " + e, e);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a read/write descriptor we never wrote through cannot lose data.
        }
    }
}
