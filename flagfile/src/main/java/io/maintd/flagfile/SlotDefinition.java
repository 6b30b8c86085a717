package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * Which flag an active slot holds: its name, kind and registration, read together so that they
 * belong to one definition. The read is a seqlock on the registration, which every delete and
 * define increments before touching the slot (see {@link FlagFileLayout}).
 */
record SlotDefinition(int slotOffset, String name, FlagKind kind, int registration) {
    /** Retries while a definer keeps changing the slot; define and delete take microseconds. */
    private static final int ATTEMPTS = 1024;

    /** The definition in the slot at {@code slotOffset}, or null when the slot is not active. */
    static SlotDefinition read(FlagBuffer buffer, int slotOffset) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int before = buffer.getIntAcquire(slotOffset + REGISTRATION_OFFSET);
            if (buffer.getIntAcquire(slotOffset + STATE_OFFSET) != STATE_ACTIVE) {
                return null;
            }
            String name = readName(buffer, slotOffset);
            FlagKind kind = FlagKind.ofCode(buffer.getInt(slotOffset + KIND_OFFSET));
            // Keep the name and kind loads above the second registration load.
            VarHandle.acquireFence();
            if (buffer.getIntAcquire(slotOffset + REGISTRATION_OFFSET) == before) {
                return name == null || kind == null ? null : new SlotDefinition(slotOffset, name, kind, before);
            }
            Thread.onSpinWait();
        }
        return null;
    }

    /** The active slot named {@code name}, or null. */
    static SlotDefinition find(FlagBuffer buffer, int slotCount, String name) {
        for (int i = 0; i < slotCount; i++) {
            int offset = FlagFileLayout.slotOffset(i);
            // Cheap filter before the full read: most slots are free or carry another name.
            if (buffer.getIntAcquire(offset + STATE_OFFSET) == STATE_ACTIVE
                    && buffer.getInt(offset + NAME_LENGTH_OFFSET) == name.length()) {
                SlotDefinition d = read(buffer, offset);
                if (d != null && d.name.equals(name)) {
                    return d;
                }
            }
        }
        return null;
    }

    /** True while the slot still carries this definition (acquire: what it published is visible). */
    boolean current(FlagBuffer buffer) {
        return buffer.getIntAcquire(slotOffset + REGISTRATION_OFFSET) == registration;
    }

    /** The name stored in a slot, or null when its length field is out of range. */
    static String readName(FlagBuffer buffer, int slotOffset) {
        return readName(buffer, slotOffset + NAME_LENGTH_OFFSET, slotOffset + NAME_OFFSET);
    }

    /**
     * A name of the length stored at {@code lengthOffset}, its bytes at {@code nameOffset} (a slot's
     * or a window's); null when the length is out of range.
     */
    static String readName(FlagBuffer buffer, int lengthOffset, int nameOffset) {
        int length = buffer.getInt(lengthOffset);
        if (length < 1 || length > MAX_NAME_LENGTH) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.getBytes(nameOffset, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
