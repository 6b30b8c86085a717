package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks a file against layout v1 or v2 before it is trusted. Reads only: the header through a
 * plain read, the slots through the (possibly read-only) mapping.
 */
final class FlagFileValidator {
    private FlagFileValidator() {
    }

    /** Returns the slot count once the header and file size agree with each other. */
    static int validateGeometry(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) {
            throw corrupt(path, "file is empty (0 bytes); not a maintd flag file");
        }
        if (size < HEADER_LENGTH) {
            throw corrupt(path, "truncated: " + size + " bytes, but the header alone is " + HEADER_LENGTH);
        }
        ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
            // fill the first 64 bytes
        }
        int magic = header.getInt(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw corrupt(path, String.format("bad magic 0x%08X at offset 0 (expected 0x%08X \"MNTD\"); "
                    + "not a maintd flag file, or one whose creation never finished", magic, MAGIC));
        }
        int version = header.getInt(VERSION_OFFSET);
        if (version > LAYOUT_VERSION) {
            throw new FlagFileException(FlagFileException.Reason.UNSUPPORTED_VERSION, path,
                    "layout version " + version + " is newer than this maintd understands (" + LAYOUT_VERSION
                            + "); upgrade maintd/flagctl");
        }
        if (version < LAYOUT_VERSION_1) {
            throw corrupt(path, "layout version " + version + " at offset " + VERSION_OFFSET + " is not valid");
        }
        int headerLength = header.getInt(HEADER_LENGTH_OFFSET);
        int slotLength = header.getInt(SLOT_LENGTH_OFFSET);
        int slotCount = header.getInt(SLOT_COUNT_OFFSET);
        if (headerLength != HEADER_LENGTH) {
            throw corrupt(path, "header length " + headerLength + " (expected " + HEADER_LENGTH + ")");
        }
        if (slotLength != SLOT_LENGTH) {
            throw corrupt(path, "slot length " + slotLength + " (expected " + SLOT_LENGTH + ")");
        }
        if (slotCount < 1 || slotCount > MAX_SLOT_COUNT) {
            throw corrupt(path, "slot count " + slotCount + " is outside 1.." + MAX_SLOT_COUNT);
        }
        long expected = fileLength(slotCount);
        if (size != expected) {
            throw corrupt(path, "geometry does not fit the file: " + slotCount + " slots of " + SLOT_LENGTH
                    + " bytes need " + expected + " bytes, but the file has " + size
                    + (size < expected ? " (truncated)" : ""));
        }
        return slotCount;
    }

    static void validateSlots(Path path, ByteBuffer map, int slotCount) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < slotCount; i++) {
            int offset = slotOffset(i);
            int state = (int) FlagFile.INT.getAcquire(map, offset + STATE_OFFSET);
            if (state == STATE_FREE || state == STATE_RESERVING) {
                continue;
            }
            if (state != STATE_ACTIVE) {
                throw corrupt(path, "slot " + i + " (offset " + offset + ") has state " + state + "; expected 0, 1 or 2");
            }
            int kind = (int) FlagFile.INT.get(map, offset + KIND_OFFSET);
            if (FlagKind.ofCode(kind) == null) {
                throw corrupt(path, "slot " + i + " (offset " + offset + ") has kind " + kind + "; expected 0 or 1");
            }
            String name = readName(map, offset);
            if (name == null) {
                throw corrupt(path, "slot " + i + " (offset " + offset + ") has name length "
                        + FlagFile.INT.get(map, offset + NAME_LENGTH_OFFSET) + "; expected 1.." + MAX_NAME_LENGTH);
            }
            String problem = nameProblem(name);
            if (problem != null) {
                throw corrupt(path, "slot " + i + " (offset " + offset + "): " + problem);
            }
            if (!seen.add(name)) {
                throw corrupt(path, "slot " + i + " (offset " + offset + ") repeats the name \"" + name + "\"");
            }
        }
    }

    /**
     * v2's window table: every window that is whole (even sequence) and in use names a valid flag
     * and ends after it starts. A window being written (odd sequence) is left to its writer.
     */
    static void validateWindows(Path path, ByteBuffer map) {
        for (int i = 0; i < WINDOW_COUNT; i++) {
            int offset = windowOffset(i);
            long sequence = (long) FlagFile.LONG.getAcquire(map, offset + WINDOW_SEQUENCE_OFFSET);
            long startsAt = (long) FlagFile.LONG.get(map, offset + WINDOW_STARTS_AT_OFFSET);
            if ((sequence & 1) != 0 || startsAt == 0) {
                continue;
            }
            String where = "window " + i + " (offset " + offset + ")";
            String name = readName(map, offset + WINDOW_NAME_LENGTH_OFFSET, offset + WINDOW_NAME_OFFSET);
            String problem = name == null ? "name length out of range" : nameProblem(name);
            if (problem != null) {
                throw corrupt(path, where + ": " + problem);
            }
            long endsAt = (long) FlagFile.LONG.get(map, offset + WINDOW_ENDS_AT_OFFSET);
            if (endsAt <= startsAt) {
                throw corrupt(path, where + " for \"" + name + "\" ends (" + endsAt + ") before it starts (" + startsAt + ")");
            }
        }
    }

    /** The name stored in a slot, or null when its length field is out of range. */
    static String readName(ByteBuffer map, int slotOffset) {
        return readName(map, slotOffset + NAME_LENGTH_OFFSET, slotOffset + NAME_OFFSET);
    }

    /** A name of {@code length at lengthOffset} bytes at {@code nameOffset}, or null when the length is out of range. */
    static String readName(ByteBuffer map, int lengthOffset, int nameOffset) {
        int length = (int) FlagFile.INT.get(map, lengthOffset);
        if (length < 1 || length > MAX_NAME_LENGTH) {
            return null;
        }
        byte[] bytes = new byte[length];
        map.get(nameOffset, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static FlagFileException corrupt(Path path, String message) {
        return new FlagFileException(FlagFileException.Reason.CORRUPT, path, message);
    }
}
