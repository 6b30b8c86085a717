package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.nio.ByteBuffer;

/**
 * A flag by name, bound to the slot that carries it. {@link #get()} is one acquire load of the
 * value and a check of the slot's registration in the same cache line: no lookup, no lock, no
 * allocation, no syscall. This is what the request path holds.
 *
 * <p>A handle names a flag, not a slot. Once its flag is deleted it reads "absent" (0), never
 * the value of a flag defined later in the same slot; {@link FlagReader#refreshHandles()} binds
 * it to the flag's new slot once the name is defined again. A mapping gives out one handle per
 * name, so everyone holding it follows the flag. See {@link FlagFileLayout} for why a stale
 * binding can never read another flag's value.
 */
public final class FlagHandle {
    /** Every absent handle reads this one zeroed slot, whose registration (0) never matches theirs (1). */
    private static final FlagBuffer NO_SLOT = new FlagBuffer(ByteBuffer.allocateDirect(SLOT_LENGTH));
    private static final int NEVER_MATCHES = 1;

    /**
     * Where the handle reads: a slot of a buffer and the registration that slot had when the
     * handle was bound to it. Immutable, so a reader always sees a consistent triple.
     */
    record Binding(FlagBuffer buffer, ByteBuffer bytes, int slotOffset, int registration, FlagKind kind) {
        static Binding to(FlagBuffer buffer, SlotDefinition definition) {
            return new Binding(buffer, buffer.bytes(), definition.slotOffset(), definition.registration(), definition.kind());
        }

        static Binding absent(FlagKind lastKind) {
            return new Binding(NO_SLOT, NO_SLOT.bytes(), 0, NEVER_MATCHES, lastKind);
        }

        boolean present() {
            return buffer != NO_SLOT;
        }

        /** The slot index, or -1 when absent. */
        int slot() {
            return present() ? (slotOffset - HEADER_LENGTH) / SLOT_LENGTH : -1;
        }

        /** True while the slot still carries the definition this binding was made for (acquire). */
        boolean current() {
            return buffer.getIntAcquire(slotOffset + REGISTRATION_OFFSET) == registration;
        }
    }

    private final String name;
    private final FlagFile file;
    private volatile Binding binding;

    FlagHandle(String name, FlagFile file, Binding binding) {
        this.name = name;
        this.file = file;
        this.binding = binding;
    }

    /**
     * The current value, or 0 when the flag is absent (deleted and not yet defined again).
     * Acquire: whatever the writer published before its value is visible too, and the plain
     * registration load after it cannot move above it, so a value that a later flag's definer
     * wrote is always seen together with that definer's registration. A value of 0 needs no
     * check, since "absent" reads 0 too: a flag that is off costs one load.
     */
    public long get() {
        Binding b = binding;
        long value = FlagBuffer.getLongAcquire(b.bytes, b.slotOffset + VALUE_OFFSET);
        return value == 0 || FlagBuffer.getInt(b.bytes, b.slotOffset + REGISTRATION_OFFSET) == b.registration ? value : 0;
    }

    /** Like {@link #get()}, but {@code absent} when the flag does not exist. */
    public long getOr(long absent) {
        Binding b = binding;
        long value = FlagBuffer.getLongAcquire(b.bytes, b.slotOffset + VALUE_OFFSET);
        return FlagBuffer.getInt(b.bytes, b.slotOffset + REGISTRATION_OFFSET) == b.registration ? value : absent;
    }

    /**
     * True while the slot this handle is bound to still holds its flag. False from the moment
     * the flag is deleted until {@link FlagReader#refreshHandles()} (or a {@code find} or
     * {@code define} of the name) binds it again.
     */
    public boolean isPresent() {
        Binding b = binding;
        return b.present() && b.current();
    }

    public String name() {
        return name;
    }

    /** The kind of the flag this handle was last bound to. */
    public FlagKind kind() {
        return binding.kind;
    }

    /** The slot index, or -1 while the flag is absent. */
    public int slot() {
        return binding.slot();
    }

    Binding binding() {
        return binding;
    }

    void bind(Binding next) {
        binding = next;
    }

    boolean belongsTo(FlagFile mapping) {
        return file == mapping;
    }

    @Override
    public String toString() {
        int slot = slot();
        return slot < 0 ? name + "@absent" : name + "@" + slot;
    }
}
