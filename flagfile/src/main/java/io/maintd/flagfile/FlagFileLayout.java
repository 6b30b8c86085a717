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
 *  |                  Registration (int32)                         |  60
 *  +---------------------------------------------------------------+
 *  |        Name: ASCII [a-z0-9][a-z0-9._-]*, NUL padded          ...  64..127
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <h2>Publication order</h2>
 * <ul>
 *   <li>Creation: every header field, then the magic+version int64 with release ordering, then
 *       fsync, then an atomic link into place. A reader that sees the magic sees the geometry.</li>
 *   <li>Slot definition (under the define lock): state := reserving (release), registration +1
 *       (atomic), then name, kind and metadata, then the initial value (release), then
 *       state := active (release). A reader loads state with acquire ordering before trusting
 *       the name.</li>
 *   <li>Slot deletion (under the define lock): registration +1 (atomic) before anything else,
 *       then state := free (release), then "freed at" (the updated-at field) and the deleter's
 *       pid/uid, then the name is cleared.</li>
 *   <li>Value write: a check that the slot's registration is still the handle's (acquire), then
 *       the value itself (volatile set, CAS or getAndAdd: the linearisation point), then writer
 *       pid/uid/time, then change count +1, then the header change sequence +1. A watcher that
 *       sees the sequence move therefore sees the value that moved it.</li>
 * </ul>
 *
 * <h2>Registration: why a handle never reads another flag's value</h2>
 * A handle is resolved once to a slot, and a slot is reused after a delete. The registration
 * word tells the two definitions of one slot apart: it grows by one at every delete and every
 * define, and a handle keeps the registration it resolved. {@link FlagHandle#get()} is the
 * value's acquire load followed by a load of the registration (same cache line); when they
 * differ it returns 0, "flag absent". The interleavings, with R the handle's registration:
 * <ol>
 *   <li><b>Read, then delete.</b> The registration load sees R: the value belongs to this
 *       flag, and the read is ordered before the delete.</li>
 *   <li><b>Delete, then read.</b> The delete's +1 comes before it touches anything else, so a
 *       reader that loads the registration after it sees R+1 and returns "absent"; a deleted
 *       flag does not stay stuck at its last value.</li>
 *   <li><b>Delete, define another flag in the slot, read.</b> The definer writes the new
 *       flag's initial value with release ordering <em>after</em> its own +1. A reader whose
 *       acquire load returns that value (or any later write to it, which the new flag's
 *       writers order after the state := active they acquired) is therefore guaranteed to see
 *       the registration at R+2 or beyond, and returns "absent". A reader whose registration
 *       load still sees R loaded the value before the delete's +1 became visible: a value of
 *       this flag.</li>
 *   <li><b>Resolving during a delete/define.</b> Resolution is a seqlock on the registration:
 *       load it (acquire), check state == active, read name and kind, fence, load it again;
 *       a mismatch retries. A name half-cleared by a delete, or written by the next define, is
 *       never paired with a registration it does not belong to.</li>
 *   <li><b>Writing through a stale handle.</b> Writers check the registration (acquire) right
 *       before their atomic operation. A delete that lands between that check and the write
 *       leaves the write in a freed slot, as if the delete came after it; the slot is not
 *       defined again for {@link #FREE_TO_REUSE_MILLIS} (Aeron's {@code freeToReuseTimeout}),
 *       so the write cannot land in the next flag unless the writer stalls for that long
 *       between two instructions.</li>
 * </ol>
 * Define increments the registration too, while the slot is reserving, so a stale handle also
 * stops matching when the delete was made by a writer that did not increment it. Files from
 * before the registration word have 0 there in every slot: they read and write as before, and
 * the first delete or define of a slot starts its count.
 *
 * <p>Holders re-resolve, rather than read "absent" forever: a handle names a flag, not a slot,
 * and {@link FlagReader#refreshHandles()} binds every handle of the mapping again to the slot
 * that now carries its name (or to "absent"). The daemon calls it on every monitor tick.
 *
 * <h2>Slot reuse</h2>
 * A define takes a never-used slot first (state free, registration 0, updated-at 0), then the
 * slot freed longest ago, provided that was at least {@link #FREE_TO_REUSE_MILLIS} ago (a free
 * slot's updated-at is the time of its delete). When only recently freed slots are left, it
 * waits for the first of them; when none is free at all, the file is full.
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
    /** +1 at every delete and every define of the slot; 0 in a slot never defined since layout v1 began. */
    public static final int REGISTRATION_OFFSET = 60;
    public static final int NAME_OFFSET = 64;
    public static final int MAX_NAME_LENGTH = 63;

    /**
     * A freed slot is not defined again for this long, so that a writer that checked a
     * handle's registration just before the delete cannot land its write in the next flag.
     */
    public static final long FREE_TO_REUSE_MILLIS = 1_000;

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
