package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Creates a flag file so that no reader ever maps half of one: it is built under a temporary
 * name with its mode and group, filled and fsynced, and only then hard-linked into place (see
 * "Creation protocol" in {@code docs/flagfile.md}).
 */
final class FlagFileCreator {
    private FlagFileCreator() {
    }

    /** See {@link FlagFile#createIfMissing}. */
    static boolean createIfMissing(Path path, int slotCount, Set<PosixFilePermission> mode, String group) {
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
                attrs.setGroup(FlagFilePermissions.group(path, group));
            }
            // chmod is not subject to the umask, so the mode is exactly what was asked for.
            attrs.setPermissions(mode);
            writeHeader(tmp, slotCount);
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
            throw FlagFile.ioFailure(path, "cannot create", e);
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

    /** Sizes the file, writes the geometry, then publishes the magic (release) last; syncs it all to disk. */
    private static void writeHeader(Path tmp, int slotCount) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long length = fileLength(slotCount);
            ch.write(ByteBuffer.allocate(1), length - 1);
            var map = ch.map(FileChannel.MapMode.READ_WRITE, 0, length);
            FlagBuffer header = new FlagBuffer(map);
            header.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
            header.putInt(SLOT_LENGTH_OFFSET, SLOT_LENGTH);
            header.putInt(SLOT_COUNT_OFFSET, slotCount);
            header.putLong(CREATED_AT_OFFSET, System.currentTimeMillis());
            header.putLongRelease(MAGIC_OFFSET, MAGIC_AND_VERSION);
            map.force();
            ch.force(true);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // Some file systems refuse fsync on a directory; the link itself is already atomic.
        }
    }
}
