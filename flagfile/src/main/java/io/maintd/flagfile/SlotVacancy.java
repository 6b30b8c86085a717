package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

/**
 * Where the next define goes: a never-used slot first, else the slot freed longest ago once it
 * has been free for the reuse delay (Aeron's {@code freeToReuseTimeout}), so that a writer
 * holding a stale handle cannot land a write in the next flag. Read under the define lock.
 *
 * @param slotOffset       the slot to define, or -1 when none may be used now
 * @param reusableAtMillis when {@code slotOffset} is -1: the epoch ms at which the first recently
 *                         freed slot may be reused, or {@link Long#MAX_VALUE} when the file is full
 */
record SlotVacancy(int slotOffset, long reusableAtMillis) {

    static SlotVacancy find(FlagBuffer buffer, int slotCount, long nowMillis, long freeToReuseMillis) {
        int oldestFreed = -1;
        long oldestFreedAt = Long.MAX_VALUE;
        long firstReusableAt = Long.MAX_VALUE;
        for (int i = 0; i < slotCount; i++) {
            int offset = FlagFileLayout.slotOffset(i);
            int state = buffer.getIntAcquire(offset + STATE_OFFSET);
            if (state == STATE_ACTIVE) {
                continue;
            }
            if (state == STATE_RESERVING) {
                // A definer died mid-way; no handle was ever bound to this definition.
                return new SlotVacancy(offset, 0);
            }
            long freedAt = buffer.getLong(offset + UPDATED_AT_OFFSET);
            if (freedAt == 0 && buffer.getInt(offset + REGISTRATION_OFFSET) == 0) {
                return new SlotVacancy(offset, 0); // never used
            }
            long freeFor = nowMillis - freedAt;
            // A negative age means the clock stepped back since the delete: waiting would not end.
            if (freeFor >= freeToReuseMillis || freeFor < 0) {
                if (freedAt < oldestFreedAt) {
                    oldestFreed = offset;
                    oldestFreedAt = freedAt;
                }
            } else {
                firstReusableAt = Math.min(firstReusableAt, freedAt + freeToReuseMillis);
            }
        }
        return oldestFreed >= 0 ? new SlotVacancy(oldestFreed, 0) : new SlotVacancy(-1, firstReusableAt);
    }
}
