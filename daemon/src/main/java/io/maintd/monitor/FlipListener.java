package io.maintd.monitor;

/** Told once per observed flip, on the monitor thread; must not block. */
@FunctionalInterface
public interface FlipListener {
    void onFlip(Flip flip);

    /** Told once per flag created, deleted, or deleted and created again. */
    default void onDefinitionChange(DefinitionChange change) {
    }
}
