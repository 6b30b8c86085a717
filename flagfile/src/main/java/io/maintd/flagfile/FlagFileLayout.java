package io.maintd.flagfile;

/**
 * Binary layout v2 of the flag file (v1 is read too: it is v2 without the window table). This class is the contract: every offset a reader or
 * writer in any language needs is named here, and {@code docs/flagfile.md} repeats it.
 * All integers are little-endian. The file is {@code HEADER_LENGTH + slotCount * SLOT_LENGTH}
 * bytes and never changes size after creation.
 *
 * <h2>Header (4096 bytes)</h2>
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Magic "MNTD" (0x44544E4D)                     |  0  } one int64, written
 *  +---------------------------------------------------------------+     } last with release
 *  |                      Layout version (1)                       |  4  } ordering
 *  +---------------------------------------------------------------+
 *  |                     Header length (4096)                      |  8
 *  +---------------------------------------------------------------+
 *  |                       Slot length (128)                       | 12
 *  +---------------------------------------------------------------+
 *  |                          Slot count                           | 16
 *  +---------------------------------------------------------------+
 *  |                        Reserved (0)                           | 20
 *  +---------------------------------------------------------------+
 *  |                 Created at (epoch ms, int64)                 ...  24
 *  +---------------------------------------------------------------+
 *  |                       ... zero up to 128                     ...
 *  +---------------------------------------------------------------+
 *  |   Change sequence (int64): +1 after every completed write    ... 128  (own 128-byte line:
 *  +---------------------------------------------------------------+         written on every flip)
 *  |                       ... zero up to 256                     ...
 *  +---------------------------------------------------------------+
 *  |             Daemon pid (int64, 0 = no daemon)                ... 256
 *  +---------------------------------------------------------------+
 *  |             Daemon heartbeat at (epoch ms, int64)            ... 264
 *  +---------------------------------------------------------------+
 *  |             Daemon started at (epoch ms, int64)              ... 272
 *  +---------------------------------------------------------------+
 *  |                      ... zero up to 2048                     ...
 *  +---------------------------------------------------------------+
 *  |   Window table (v2): 16 windows of 128 bytes, below         ... 2048..4095
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <h2>Window (v2; 128 bytes, at WINDOW_TABLE_OFFSET + index * WINDOW_LENGTH)</h2>
 * A scheduled change of a flag: from {@code starts at} the flag holds {@code value}, and at
 * {@code ends at} it reverts (the daemon applies it as a timed set and frees the window). A
 * window names its flag, so a delete or a reuse of the flag's slot never moves it to another.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Starts at (epoch ms, int64; 0 = free window)        ...   0
 *  +---------------------------------------------------------------+
 *  |          Ends at (epoch ms, int64)                           ...   8
 *  +---------------------------------------------------------------+
 *  |          Value (int64)                                       ...  16
 *  +---------------------------------------------------------------+
 *  |          Sequence (int64): odd while a writer changes it     ...  24
 *  +---------------------------------------------------------------+
 *  |          Name length (int32, 1..63)                           |  32
 *  +---------------------------------------------------------------+
 *  |          ... zero up to 64                                   ...
 *  +---------------------------------------------------------------+
 *  |          Flag name, NUL padded                               ...  64..127
 *  +---------------------------------------------------------------+
 * </pre>
 * Windows are written only under the define lock: sequence +1 (odd), the fields, sequence +1
 * (even, release). Readers take no lock: sequence (acquire), fields, sequence again; equal and
 * even means a whole window.
 * Byte {@link #DAEMON_LOCK_OFFSET} and byte {@link #DEFINE_LOCK_OFFSET} are never written; they
 * only name the POSIX record locks ({@code fcntl F_SETLK}) taken on the file: the running
 * daemon holds the first exclusively for its whole life, and creating or deleting a slot
 * holds the second for a few microseconds.
 *
 * <h2>Slot (128 bytes, at HEADER_LENGTH + index * SLOT_LENGTH)</h2>
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                  Value (int64, signed)                       ...   0
 *  +---------------------------------------------------------------+
 *  |          State: 0 free, 1 reserving, 2 active                 |   8
 *  +---------------------------------------------------------------+
 *  |          Kind: 0 operator flag, 1 counter (daemon-owned)      |  12
 *  +---------------------------------------------------------------+
 *  |                  Change count (int64)                        ...  16
 *  +---------------------------------------------------------------+
 *  |                  Updated at (epoch ms, int64)                ...  24
 *  +---------------------------------------------------------------+
 *  |                  Writer pid (int32)                           |  32
 *  +---------------------------------------------------------------+
 *  |                  Writer uid (int32, unsigned)                 |  36
 *  +---------------------------------------------------------------+
 *  |                  Expires at (epoch ms, int64, 0 = never)     ...  40
 *  +---------------------------------------------------------------+
 *  |                  Revert value (int64)                        ...  48
 *  +---------------------------------------------------------------+
 *  |                  Name length (int32, 1..63)                   |  56
 *  +---------------------------------------------------------------+
 *  |                  Reserved (0)                                 |  60
 *  +---------------------------------------------------------------+
 *  |        Name: ASCII [a-z0-9][a-z0-9._-]*, NUL padded          ...  64..127
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <h2>Publication order</h2>
 * <ul>
 *   <li>Creation: every header field, then the magic+version int64 with release ordering, then
 *       fsync, then an atomic link into place. A reader that sees the magic sees the geometry.</li>
 *   <li>Slot definition (under the define lock): state := reserving, then name, kind, value and
 *       metadata, then state := active with release ordering. A reader loads state with acquire
 *       ordering before trusting the name.</li>
 *   <li>Value write: the value itself (volatile set, CAS or getAndAdd: the linearisation point),
 *       then writer pid/uid/time, then change count +1, then the header change sequence +1. A
 *       watcher that sees the sequence move therefore sees the value that moved it.</li>
 * </ul>
 */
public final class FlagFileLayout {
    private FlagFileLayout() {
    }

    /** "MNTD" read as a little-endian int32. */
    public static final int MAGIC = 0x44544E4D;
    /** What this build creates; it reads {@link #LAYOUT_VERSION_1} files too (see {@link #WINDOW_TABLE_OFFSET}). */
    public static final int LAYOUT_VERSION = 2;
    /** The first layout: no window table (its bytes are zero), so no scheduled windows. */
    public static final int LAYOUT_VERSION_1 = 1;
    /** Magic in the low 32 bits, version in the high 32 bits: how the first word is published. */
    public static final long MAGIC_AND_VERSION = ((long) LAYOUT_VERSION << 32) | (MAGIC & 0xFFFF_FFFFL);

    public static final int HEADER_LENGTH = 4096;
    public static final int SLOT_LENGTH = 128;
    public static final int MAX_SLOT_COUNT = 1 << 16;
    public static final int DEFAULT_SLOT_COUNT = 256;

    // Header offsets.
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int HEADER_LENGTH_OFFSET = 8;
    public static final int SLOT_LENGTH_OFFSET = 12;
    public static final int SLOT_COUNT_OFFSET = 16;
    public static final int CREATED_AT_OFFSET = 24;
    public static final int CHANGE_SEQUENCE_OFFSET = 128;
    public static final int DAEMON_PID_OFFSET = 256;
    public static final int DAEMON_HEARTBEAT_OFFSET = 264;
    public static final int DAEMON_STARTED_AT_OFFSET = 272;
    public static final int DAEMON_LOCK_OFFSET = 1024;
    public static final int DEFINE_LOCK_OFFSET = 1032;
    /** v2: the window table fills the rest of the header. */
    public static final int WINDOW_TABLE_OFFSET = 2048;
    public static final int WINDOW_LENGTH = 128;
    public static final int WINDOW_COUNT = (HEADER_LENGTH - WINDOW_TABLE_OFFSET) / WINDOW_LENGTH;

    // Window offsets, relative to the start of the window.
    public static final int WINDOW_STARTS_AT_OFFSET = 0;
    public static final int WINDOW_ENDS_AT_OFFSET = 8;
    public static final int WINDOW_VALUE_OFFSET = 16;
    public static final int WINDOW_SEQUENCE_OFFSET = 24;
    public static final int WINDOW_NAME_LENGTH_OFFSET = 32;
    public static final int WINDOW_NAME_OFFSET = 64;

    // Slot offsets, relative to the start of the slot.
    public static final int VALUE_OFFSET = 0;
    public static final int STATE_OFFSET = 8;
    public static final int KIND_OFFSET = 12;
    public static final int CHANGE_COUNT_OFFSET = 16;
    public static final int UPDATED_AT_OFFSET = 24;
    public static final int WRITER_PID_OFFSET = 32;
    public static final int WRITER_UID_OFFSET = 36;
    public static final int EXPIRES_AT_OFFSET = 40;
    public static final int REVERT_VALUE_OFFSET = 48;
    public static final int NAME_LENGTH_OFFSET = 56;
    public static final int NAME_OFFSET = 64;
    public static final int MAX_NAME_LENGTH = 63;

    public static final int STATE_FREE = 0;
    public static final int STATE_RESERVING = 1;
    public static final int STATE_ACTIVE = 2;

    public static int windowOffset(int index) {
        return WINDOW_TABLE_OFFSET + index * WINDOW_LENGTH;
    }

    /** Magic in the low 32 bits, {@code version} in the high 32 bits. */
    public static long magicAndVersion(int version) {
        return ((long) version << 32) | (MAGIC & 0xFFFF_FFFFL);
    }

    public static int slotOffset(int index) {
        return HEADER_LENGTH + index * SLOT_LENGTH;
    }

    public static long fileLength(int slotCount) {
        return HEADER_LENGTH + (long) slotCount * SLOT_LENGTH;
    }

    /** Why a name is not valid, or null when it is. */
    public static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "flag name is empty";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "flag name \"" + name + "\" is " + name.length() + " characters; the limit is " + MAX_NAME_LENGTH;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            boolean punct = c == '.' || c == '_' || c == '-';
            if (!alnum && !(i > 0 && punct)) {
                return "flag name \"" + name + "\" has '" + c + "' at position " + (i + 1)
                        + "; names are lower-case [a-z0-9][a-z0-9._-]*";
            }
        }
        return null;
    }
}
