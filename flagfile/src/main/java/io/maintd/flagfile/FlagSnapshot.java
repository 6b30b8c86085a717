package io.maintd.flagfile;

/**
 * One slot as read at one moment. The value is exact; the writer fields describe the last
 * write that finished stamping (see the publication order in {@link FlagFileLayout}).
 *
 * @param expiresAtMillis 0 when the value does not expire
 * @param registration    tells this definition of the slot from earlier and later ones (see {@link FlagFileLayout})
 */
public record FlagSnapshot(
        String name,
        FlagKind kind,
        int slot,
        long value,
        long changeCount,
        long updatedAtMillis,
        int writerPid,
        int writerUid,
        long expiresAtMillis,
        long revertValue,
        int registration) {

    public boolean expires() {
        return expiresAtMillis != 0;
    }

    /** The writer uid as the unsigned number the kernel uses. */
    public long writerUidUnsigned() {
        return Integer.toUnsignedLong(writerUid);
    }
}
