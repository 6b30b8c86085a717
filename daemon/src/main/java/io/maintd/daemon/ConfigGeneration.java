package io.maintd.daemon;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Which config the daemon serves: 1 for the one it started with, plus one per successful
 * reload. {@code /status} shows it, so an operator can tell a reload took.
 */
public final class ConfigGeneration {
    private final AtomicLong current = new AtomicLong(1);

    public long current() {
        return current.get();
    }

    /** Called once a reloaded config is live; returns the new generation. */
    public long advance() {
        return current.incrementAndGet();
    }
}
