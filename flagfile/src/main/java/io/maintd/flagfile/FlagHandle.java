package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;


/**
 * A flag resolved once to its slot. {@link #get()} is one acquire load from the mapping: no
 * lookup, no lock, no allocation, no syscall. This is what the request path holds.
 */
public final class FlagHandle {
    private final FlagBuffer buffer;
    private final int slotOffset;
    private final String name;
    private final FlagKind kind;

    FlagHandle(FlagBuffer buffer, int slotOffset, String name, FlagKind kind) {
        this.buffer = buffer;
        this.slotOffset = slotOffset;
        this.name = name;
        this.kind = kind;
    }

    /** The current value. Acquire: whatever the writer published before its value is visible too. */
    public long get() {
        return buffer.getLongAcquire(slotOffset + VALUE_OFFSET);
    }

    /**
     * True while the slot still holds this flag. A handle outlives a {@code delete}; holders
     * that care re-check this when the change sequence moves, never per read.
     */
    public boolean isLive() {
        return buffer.getIntAcquire(slotOffset + STATE_OFFSET) == STATE_ACTIVE
                && name.equals(FlagFileValidator.readName(buffer, slotOffset));
    }

    public String name() {
        return name;
    }

    public FlagKind kind() {
        return kind;
    }

    public int slot() {
        return (slotOffset - HEADER_LENGTH) / SLOT_LENGTH;
    }

    int slotOffset() {
        return slotOffset;
    }

    boolean belongsTo(FlagBuffer other) {
        return buffer == other;
    }

    @Override
    public String toString() {
        return name + "@" + slot();
    }
}
