package io.maintd.flagfile;

/**
 * What the running daemon last wrote into the header. A pid with a fresh heartbeat means a
 * daemon is enforcing expiries and publishing counters; {@link #alive} says how fresh is fresh.
 *
 * @param pid 0 when no daemon has claimed the file since the last clean exit
 */
public record DaemonStatus(long pid, long startedAtMillis, long heartbeatAtMillis) {

    /** Heartbeats are written every second; three missed ones mean the daemon is gone or stuck. */
    public static final long STALE_AFTER_MILLIS = 3_000;

    public boolean alive(long nowMillis) {
        return pid != 0
                && nowMillis - heartbeatAtMillis <= STALE_AFTER_MILLIS
                && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    public long heartbeatAgeMillis(long nowMillis) {
        return nowMillis - heartbeatAtMillis;
    }
}
