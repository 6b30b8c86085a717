package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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

    static void validateSlots(Path path, FlagBuffer map, int slotCount) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < slotCount; i++) {
            int offset = slotOffset(i);
            int state = map.getIntAcquire(offset + STATE_OFFSET);
            if (state == STATE_FREE || state == STATE_RESERVING) {
                continue;
            }
            if (state != STATE_ACTIVE) {
                throw corrupt(path, "slot " + i + " (offset " + offset + ") has state " + state + "; expected 0, 1 or 2");
            }
            int kind = map.getInt(offset + KIND_OFFSET);
            if (FlagKind.ofCode(kind) == null) {
                throw corrupt(path, "slot " + i + " (offset " + offset + ") has kind " + kind + "; expected 0 or 1");
            }
            String name = SlotDefinition.readName(map, offset);
            if (name == null) {
                throw corrupt(path, "slot " + i + " (offset " + offset + ") has name length "
                        + map.getInt(offset + NAME_LENGTH_OFFSET) + "; expected 1.." + MAX_NAME_LENGTH);
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

    /** The slots, and in a layout v2 file its window table: what must hold before a mapping is trusted. */
    static void validateContents(Path path, FlagBuffer map, int slotCount) {
        validateSlots(path, map, slotCount);
        if (FlagFile.layoutVersion(map) >= LAYOUT_VERSION) {
            validateWindows(path, map);
        }
    }

    /**
     * v2's window table: every window that is whole (even sequence) and in use names a valid flag
     * and ends after it starts. A window being written (odd sequence) is left to its writer.
     */
    static void validateWindows(Path path, FlagBuffer map) {
        for (int i = 0; i < WINDOW_COUNT; i++) {
            int offset = windowOffset(i);
            long sequence = map.getLongAcquire(offset + WINDOW_SEQUENCE_OFFSET);
            long startsAt = map.getLong(offset + WINDOW_STARTS_AT_OFFSET);
            if ((sequence & 1) != 0 || startsAt == 0) {
                continue;
            }
            String where = "window " + i + " (offset " + offset + ")";
            String name = SlotDefinition.readName(map, offset + WINDOW_NAME_LENGTH_OFFSET, offset + WINDOW_NAME_OFFSET);
            String problem = name == null ? "name length out of range" : nameProblem(name);
            if (problem != null) {
                throw corrupt(path, where + ": " + problem);
            }
            long endsAt = map.getLong(offset + WINDOW_ENDS_AT_OFFSET);
            if (endsAt <= startsAt) {
                throw corrupt(path, where + " for \"" + name + "\" ends (" + endsAt + ") before it starts (" + startsAt + ")");
            }
        }
    }

    private static FlagFileException corrupt(Path path, String message) {
        return new FlagFileException(FlagFileException.Reason.CORRUPT, path, message);
    }
}
