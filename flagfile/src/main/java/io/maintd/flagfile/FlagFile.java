package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
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
    /** Aligned little-endian views over the mapping; atomic modes work across processes. */
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    public static final Set<PosixFilePermission> DEFAULT_MODE = PosixFilePermissions.fromString("rw-rw----");

    private final Path path;
    private final FileChannel channel;
    /** The file's identity (device, inode): descriptors are shared per file, not per path. */
    private final Object fileKey;
    private final MappedByteBuffer buffer;
    private final int slotCount;
    private final boolean writable;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The daemon lock taken through this mapping, released by {@link #close()} at the latest. */
    private final AtomicReference<DaemonLock> daemonLock = new AtomicReference<>();

    private FlagFile(Path path, FileChannel channel, Object fileKey, MappedByteBuffer buffer, int slotCount, boolean writable) {
        this.path = path;
        this.channel = channel;
        this.fileKey = fileKey;
        this.buffer = buffer;
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
            refuseWorldWritable(path);
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
                    "permission denied opening for " + (write ? "writing" : "reading") + " (" + ownership(path)
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
            FlagFileValidator.validateSlots(path, mapped, slots);
            if (layoutVersion(mapped) >= LAYOUT_VERSION) {
                FlagFileValidator.validateWindows(path, mapped);
            }
            return new FlagFile(path, channel, fileKey, mapped, slots, write);
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
        if (slotCount < 1 || slotCount > MAX_SLOT_COUNT) {
            throw new IllegalArgumentException("capacity must be 1.." + MAX_SLOT_COUNT + " slots, not " + slotCount);
        }
        if (Files.exists(path)) {
            return false;
        }
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
            PosixFileAttributeView attrs = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            if (group != null) {
                attrs.setGroup(lookupGroup(path, group));
            }
            // chmod is not subject to the umask, so the mode is exactly what was asked for.
            attrs.setPermissions(mode);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long length = fileLength(slotCount);
                ch.write(ByteBuffer.allocate(1), length - 1);
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, length);
                INT.set(map, HEADER_LENGTH_OFFSET, HEADER_LENGTH);
                INT.set(map, SLOT_LENGTH_OFFSET, SLOT_LENGTH);
                INT.set(map, SLOT_COUNT_OFFSET, slotCount);
                LONG.set(map, CREATED_AT_OFFSET, System.currentTimeMillis());
                LONG.setRelease(map, MAGIC_OFFSET, MAGIC_AND_VERSION);
                map.force();
                ch.force(true);
            }
            try {
                Files.createLink(path, tmp);
            } catch (FileAlreadyExistsException raced) {
                return false;
            }
            fsyncDirectory(dir);
            return true;
        } catch (AccessDeniedException e) {
            throw new FlagFileException(FlagFileException.Reason.PERMISSION_DENIED, path,
                    "permission denied creating the flag file in " + dir + " (you are uid " + WriterIdentity.UID + ")", e);
        } catch (NoSuchFileException e) {
            throw new FlagFileException(FlagFileException.Reason.NOT_FOUND, path,
                    "directory " + dir + " does not exist", e);
        } catch (IOException e) {
            throw ioFailure(path, "cannot create", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // A stray temp file is harmless: its name starts with a dot and it is never opened.
                }
            }
        }
    }

    public FlagReader reader() {
        return new FlagReader(this);
    }

    public FlagWriter writer() {
        if (!writable) {
            throw new IllegalStateException(path + " was opened read-only");
        }
        return new FlagWriter(this);
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
        return layoutVersion(buffer);
    }

    private static int layoutVersion(MappedByteBuffer map) {
        return (int) ((long) LONG.getAcquire(map, MAGIC_OFFSET) >>> 32);
    }

    MappedByteBuffer buffer() {
        return buffer;
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

    private static void refuseWorldWritable(Path path) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            if (perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new FlagFileException(FlagFileException.Reason.WORLD_WRITABLE, path,
                        "refusing to write: the flag file is world-writable (mode " + PosixFilePermissions.toString(perms)
                                + "), so any local user could flip maintenance; fix with chmod o-w " + path);
            }
        } catch (NoSuchFileException e) {
            throw new FlagFileException(FlagFileException.Reason.NOT_FOUND, path,
                    "no such flag file (create it with 'flagctl init' or start maintd)", e);
        } catch (IOException e) {
            throw ioFailure(path, "cannot read permissions of", e);
        }
    }

    private static String ownership(Path path) {
        try {
            PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class);
            return "mode " + PosixFilePermissions.toString(a.permissions()) + ", owner " + a.owner().getName()
                    + ", group " + a.group().getName();
        } catch (IOException e) {
            return "attributes unreadable: " + e.getMessage();
        }
    }

    private static GroupPrincipal lookupGroup(Path path, String group) throws IOException {
        try {
            return path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw new FlagFileException(FlagFileException.Reason.IO, path, "no such group \"" + group + "\"", e);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // Some file systems refuse fsync on a directory; the link itself is already atomic.
        }
    }

    private static FlagFileException ioFailure(Path path, String what, IOException e) {
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
