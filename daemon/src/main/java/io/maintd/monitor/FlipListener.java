package io.maintd.monitor;

/** Told once per observed flip, on the monitor thread; must not block. */
@FunctionalInterface
public interface FlipListener {
    void onFlip(Flip flip);
}
