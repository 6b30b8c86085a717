package io.maintd.monitor;

import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagSnapshot;

/**
 * A flag that appeared, went away, or went away and came back (in another slot, or the same
 * one, with a new registration) between two observations. Holders of its handle follow it: a
 * deleted flag reads as absent (0) until it is created again.
 *
 * @param before the flag as last seen, or null when it is new
 * @param after  the flag as seen now, or null when it was deleted
 */
public record DefinitionChange(String name, FlagSnapshot before, FlagSnapshot after) {

    /** A deletion or a re-creation: something every holder of the flag had to follow. */
    public boolean warns() {
        return before != null;
    }

    /** The log line: one per change, with what the daemon now reads. */
    public String describe() {
        String what = (after != null ? after.kind() : before.kind()) == FlagKind.COUNTER ? "counter " : "flag ";
        if (before == null) {
            return what + name + " created in slot " + after.slot() + " with " + after.value() + " by pid "
                    + after.writerPid() + " uid " + after.writerUidUnsigned();
        }
        if (after == null) {
            return what + name + " deleted (it was " + before.value() + " in slot " + before.slot()
                    + "); maintd reads it as absent (0) until it is created again";
        }
        return what + name + " deleted and created again (slot " + before.slot() + " -> " + after.slot() + ", "
                + before.value() + " -> " + after.value() + ") by pid " + after.writerPid() + " uid "
                + after.writerUidUnsigned() + "; maintd follows the new one";
    }
}
