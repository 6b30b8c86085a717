package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes layout v2's window table (see {@link FlagFileLayout}). Writes happen only
 * under the define lock, so writers never race each other; each is bracketed by the window's
 * sequence (odd while it changes, even and released after) for lock-free readers.
 */
final class WindowTable {
    /** A reader gives up on a window that stays mid-write this many reads (a writer died in it). */
    private static final int READ_ATTEMPTS = 1024;

    private WindowTable() {
    }

    /** Every whole window in use, in table order. */
    static List<ScheduledWindow> list(FlagBuffer buffer) {
        List<ScheduledWindow> windows = new ArrayList<>();
        for (int i = 0; i < WINDOW_COUNT; i++) {
            ScheduledWindow w = read(buffer, windowOffset(i));
            if (w != null) {
                windows.add(w);
            }
        }
        return windows;
    }

    /** The window at {@code offset}, or null when it is free or stays mid-write. */
    private static ScheduledWindow read(FlagBuffer buffer, int offset) {
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            long before = buffer.getLongAcquire(offset + WINDOW_SEQUENCE_OFFSET);
            if ((before & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long startsAt = buffer.getLong(offset + WINDOW_STARTS_AT_OFFSET);
            long endsAt = buffer.getLong(offset + WINDOW_ENDS_AT_OFFSET);
            long value = buffer.getLong(offset + WINDOW_VALUE_OFFSET);
            String name = SlotDefinition.readName(buffer, offset + WINDOW_NAME_LENGTH_OFFSET, offset + WINDOW_NAME_OFFSET);
            // Loads above may not move below the second sequence load.
            VarHandle.acquireFence();
            if (buffer.getLongAcquire(offset + WINDOW_SEQUENCE_OFFSET) == before) {
                return startsAt == 0 || name == null ? null : new ScheduledWindow(name, value, startsAt, endsAt);
            }
        }
        return null;
    }

    /** Under the define lock: the index of {@code name}'s window, or -1. */
    static int indexOf(FlagBuffer buffer, String name) {
        for (int i = 0; i < WINDOW_COUNT; i++) {
            ScheduledWindow w = read(buffer, windowOffset(i));
            if (w != null && w.flag().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Under the define lock: a free window's index (one a dead writer left mid-write counts), or -1. */
    static int freeIndex(FlagBuffer buffer) {
        for (int i = 0; i < WINDOW_COUNT; i++) {
            int offset = windowOffset(i);
            if (buffer.getLong(offset + WINDOW_STARTS_AT_OFFSET) == 0
                    || (buffer.getLong(offset + WINDOW_SEQUENCE_OFFSET) & 1) != 0) {
                return i;
            }
        }
        return -1;
    }

    /** Under the define lock: writes {@code window} at {@code index}. */
    static void write(FlagBuffer buffer, int index, ScheduledWindow window) {
        int offset = windowOffset(index);
        begin(buffer, offset);
        byte[] name = window.flag().getBytes(StandardCharsets.US_ASCII);
        byte[] padded = new byte[MAX_NAME_LENGTH + 1];
        System.arraycopy(name, 0, padded, 0, name.length);
        buffer.putBytes(offset + WINDOW_NAME_OFFSET, padded);
        buffer.putInt(offset + WINDOW_NAME_LENGTH_OFFSET, name.length);
        buffer.putLong(offset + WINDOW_VALUE_OFFSET, window.value());
        buffer.putLong(offset + WINDOW_ENDS_AT_OFFSET, window.endsAtMillis());
        buffer.putLong(offset + WINDOW_STARTS_AT_OFFSET, window.startsAtMillis());
        end(buffer, offset);
    }

    /** Under the define lock: frees the window at {@code index}. */
    static void free(FlagBuffer buffer, int index) {
        int offset = windowOffset(index);
        begin(buffer, offset);
        buffer.putLong(offset + WINDOW_STARTS_AT_OFFSET, 0L);
        buffer.putLong(offset + WINDOW_ENDS_AT_OFFSET, 0L);
        buffer.putLong(offset + WINDOW_VALUE_OFFSET, 0L);
        buffer.putInt(offset + WINDOW_NAME_LENGTH_OFFSET, 0);
        buffer.putBytes(offset + WINDOW_NAME_OFFSET, new byte[MAX_NAME_LENGTH + 1]);
        end(buffer, offset);
    }

    /** The window read at {@code index}, or null. */
    static ScheduledWindow at(FlagBuffer buffer, int index) {
        return read(buffer, windowOffset(index));
    }

    /** Whether every byte of the table is zero, as layout v1 leaves it. */
    static boolean empty(FlagBuffer buffer) {
        for (int i = WINDOW_TABLE_OFFSET; i < HEADER_LENGTH; i += 8) {
            if (buffer.getLong(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sequence to odd: readers retry until {@link #end}. A left-over odd one (dead writer) is made
     * odd again. A volatile swap, so that no field written after it is seen before it.
     */
    private static void begin(FlagBuffer buffer, int offset) {
        long sequence = buffer.getLong(offset + WINDOW_SEQUENCE_OFFSET);
        buffer.getAndSetLong(offset + WINDOW_SEQUENCE_OFFSET, (sequence | 1) + ((sequence & 1) == 0 ? 0 : 2));
    }

    /** Sequence to even, with release: a reader that sees it sees every field written before. */
    private static void end(FlagBuffer buffer, int offset) {
        long sequence = buffer.getLong(offset + WINDOW_SEQUENCE_OFFSET);
        buffer.putLongRelease(offset + WINDOW_SEQUENCE_OFFSET, sequence + 1);
    }
}
