package io.maintd.flagfile;

import static io.maintd.flagfile.FlagFileLayout.*;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running daemon's claim on a flag file: an exclusive POSIX record lock on
 * {@link FlagFileLayout#DAEMON_LOCK_OFFSET}, held for the daemon's life. The kernel drops it
 * when the process dies, even by SIGKILL, so a crashed daemon never blocks its successor.
 * Only the holder publishes counters and heartbeats.
 */
public final class DaemonLock implements AutoCloseable {
    /** How long a loser waits for the winner to publish its pid before naming it. */
    private static final long PID_PUBLISH_WAIT_MILLIS = 500;

    /** What {@link #publish} did with a counter's value. */
    public enum Publication {
        /** The value differed: written and stamped, and the file's change sequence moved by one. */
        CHANGED,
        /** The counter held the value already: nothing written, the change sequence did not move. */
        UNCHANGED,
        /** The counter was deleted: nothing written (define it again, then publish). */
        DELETED
    }

    private final FileLock lock;
    private final FlagFile file;
    private final FlagWriter writer;
    private final AtomicBoolean released = new AtomicBoolean();

    private DaemonLock(FileLock lock, FlagFile file, FlagWriter writer) {
        this.lock = lock;
        this.file = file;
        this.writer = writer;
    }

    static DaemonLock acquire(FlagFile file, FlagWriter writer) {
        FileLock lock;
        try {
            lock = file.channel().tryLock(DAEMON_LOCK_OFFSET, 1, false);
        } catch (OverlappingFileLockException e) {
            lock = null; // this JVM already holds it through another mapping
        } catch (IOException e) {
            throw new FlagFileException(FlagFileException.Reason.IO, file.path(), "cannot take the daemon lock: " + e, e);
        }
        FlagBuffer buffer = file.buffer();
        if (lock == null) {
            throw new FlagFileException(FlagFileException.Reason.DAEMON_RUNNING, file.path(),
                    "maintd is already running on this flag file as pid " + holderPid(buffer));
        }
        long now = System.currentTimeMillis();
        buffer.putLongRelease(DAEMON_STARTED_AT_OFFSET, now);
        buffer.putLongRelease(DAEMON_HEARTBEAT_OFFSET, now);
        buffer.putLongRelease(DAEMON_PID_OFFSET, (long) WriterIdentity.PID);
        DaemonLock daemonLock = new DaemonLock(lock, file, writer);
        file.daemonLockTaken(daemonLock);
        return daemonLock;
    }

    /** The winner writes its pid right after locking; give it a moment rather than say "pid 0". */
    private static long holderPid(FlagBuffer buffer) {
        long deadline = System.currentTimeMillis() + PID_PUBLISH_WAIT_MILLIS;
        long pid;
        while ((pid = buffer.getLongAcquire(DAEMON_PID_OFFSET)) == 0
                && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return pid;
    }

    /** Called every second; {@code flagctl status} calls a daemon dead after three misses. */
    public void heartbeat() {
        file.buffer().putLongRelease(DAEMON_HEARTBEAT_OFFSET, System.currentTimeMillis());
    }

    /**
     * Publishes a daemon counter; moves the change sequence, by one, only when the value changed,
     * and says which it did, so the daemon can tell its own counter writes from other changes.
     */
    public Publication publish(FlagHandle counter, long value) {
        if (counter.kind() != FlagKind.COUNTER) {
            throw new IllegalArgumentException(counter + " is an operator flag, not a counter");
        }
        return writer.publish(counter, value);
    }

    /** Clears the pid (a clean exit) and releases the lock; once, however often it is called. */
    @Override
    public void close() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        file.daemonLockReleased(this);
        file.buffer().putLongRelease(DAEMON_PID_OFFSET, 0L);
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the file releases it too.
        }
    }
}
