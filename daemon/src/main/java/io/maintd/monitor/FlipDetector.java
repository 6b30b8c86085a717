package io.maintd.monitor;

import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the flag file's change sequence into flips and definition changes. Only when the
 * sequence moved does it list the slots and compare each operator flag's change count with
 * the last one seen, so a quiet file costs one load per tick. Counters are the daemon's own
 * output, not flips; their deletion and re-creation are reported like a flag's.
 */
final class FlipDetector {
    private final FlagReader reader;
    private final FlipListener listener;
    private final Map<String, FlagSnapshot> seen = new HashMap<>();
    private long sequence;

    FlipDetector(FlagReader reader, FlipListener listener) {
        this.reader = reader;
        this.listener = listener;
        this.sequence = reader.changeSequence();
        record(reader.list());
    }

    /** @param expiredNow names the daemon itself just reverted, so their flips say so */
    void poll(Set<String> expiredNow) {
        long now = reader.changeSequence();
        if (now == sequence) {
            return;
        }
        sequence = now;
        List<FlagSnapshot> slots = reader.list();
        List<FlagSnapshot> kept = new ArrayList<>(slots.size());
        for (FlagSnapshot s : slots) {
            FlagSnapshot before = seen.remove(s.name());
            if (before == null || before.registration() != s.registration() || before.slot() != s.slot()) {
                listener.onDefinitionChange(new DefinitionChange(s.name(), before, s));
            } else if (s.kind() == FlagKind.FLAG && before.changeCount() != s.changeCount()) {
                listener.onFlip(new Flip(s.name(), before.value(), s.value(), s.changeCount() - before.changeCount(),
                        s.writerPid(), s.writerUidUnsigned(), expiredNow.contains(s.name())));
            } else if (s.kind() == FlagKind.FLAG) {
                // Same change count: a write may be half done (its value stored, its count not yet),
                // so the value seen now is not yet "before" for the flip that count will report.
                kept.add(before);
                continue;
            }
            kept.add(s);
        }
        for (FlagSnapshot gone : seen.values()) {
            listener.onDefinitionChange(new DefinitionChange(gone.name(), gone, null));
        }
        seen.clear();
        record(kept);
    }

    private void record(List<FlagSnapshot> slots) {
        for (FlagSnapshot s : slots) {
            seen.put(s.name(), s);
        }
    }
}
