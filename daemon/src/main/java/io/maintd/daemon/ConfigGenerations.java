package io.maintd.daemon;

import io.maintd.flagfile.DaemonLock;
import io.maintd.flagfile.FlagHandle;

/**
 * The outcome of every reload, counted and published into the flag file at once: the config
 * generation serving (1 at start, plus one per applied reload) and the reloads rejected.
 * {@code maintd reload} reads both counters before it signals and waits for one of them to
 * move, so it learns the outcome without any channel but the flag file it already reads the
 * pid from. Both are written at start too, so a value left by a previous process never passes
 * for an outcome.
 */
public final class ConfigGenerations {
    private final DaemonLock lock;
    private final FlagHandle generationCounter;
    private final FlagHandle rejectionsCounter;
    /** Written under this object's lock, read from anywhere. */
    private volatile long generation = 1;
    private volatile long rejections;

    public ConfigGenerations(DaemonLock lock, FlagHandle generationCounter, FlagHandle rejectionsCounter) {
        this.lock = lock;
        this.generationCounter = generationCounter;
        this.rejectionsCounter = rejectionsCounter;
        publish();
    }

    /** The generation serving now. */
    public long generation() {
        return generation;
    }

    /** Reloads applied since start. */
    public long applied() {
        return generation - 1;
    }

    /** Reloads rejected since start. */
    public long rejected() {
        return rejections;
    }

    synchronized long apply() {
        generation++;
        publish();
        return generation;
    }

    synchronized void reject() {
        rejections++;
        publish();
    }

    private void publish() {
        lock.publish(generationCounter, generation);
        lock.publish(rejectionsCounter, rejections);
    }
}
