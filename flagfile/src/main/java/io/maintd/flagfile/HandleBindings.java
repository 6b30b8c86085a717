package io.maintd.flagfile;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The handles one mapping gave out, one per name, and the slot each is bound to. Resolving a
 * name binds its handle again; {@link #refresh()} re-binds every handle whose flag was deleted
 * (to "absent") or defined again (to its new slot), so that everyone holding a handle follows
 * the flag without asking. Binding is rare and synchronized; reading a handle never is.
 */
final class HandleBindings {
    private final FlagFile file;
    private final Map<String, FlagHandle> byName = new HashMap<>();

    HandleBindings(FlagFile file) {
        this.file = file;
    }

    /** The handle for {@code name}, bound to its slot; empty when no active slot has that name. */
    synchronized Optional<FlagHandle> resolve(String name) {
        SlotDefinition found = SlotDefinition.find(file.buffer(), file.slotCount(), name);
        return found == null ? Optional.empty() : Optional.of(bind(found));
    }

    /** The handle for the definition just read (or made) under the define lock. */
    synchronized FlagHandle bind(SlotDefinition definition) {
        FlagHandle.Binding binding = FlagHandle.Binding.to(file.buffer(), definition);
        FlagHandle handle = byName.get(definition.name());
        if (handle == null) {
            handle = new FlagHandle(definition.name(), file, binding);
            byName.put(definition.name(), handle);
        } else if (!binding.equals(handle.binding())) {
            handle.bind(binding);
        }
        return handle;
    }

    /**
     * Re-binds every handle whose slot no longer carries its flag: to the slot now carrying its
     * name, or to "absent". A handle still bound to its flag costs one load.
     */
    synchronized void refresh() {
        for (FlagHandle handle : byName.values()) {
            FlagHandle.Binding now = handle.binding();
            if (now.present() && now.current()) {
                continue;
            }
            SlotDefinition found = SlotDefinition.find(file.buffer(), file.slotCount(), handle.name());
            if (found != null) {
                handle.bind(FlagHandle.Binding.to(file.buffer(), found));
            } else if (now.present()) {
                handle.bind(FlagHandle.Binding.absent(now.kind()));
            }
        }
    }

    /** Re-binds every present handle to the same slot and registration in {@code view}. */
    synchronized void serveFrom(FlagBuffer view) {
        for (FlagHandle handle : byName.values()) {
            FlagHandle.Binding now = handle.binding();
            if (now.present()) {
                handle.bind(new FlagHandle.Binding(view, view.bytes(), now.slotOffset(), now.registration(), now.kind()));
            }
        }
    }
}
