package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One daemon per flag file, enforced by the kernel, named in the refusal, freed by death. */
@Timeout(60)
class DaemonLockTest {
    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void createFile() {
        file = dir.resolve("flags");
        FlagFile.createIfMissing(file, 4, FlagFile.DEFAULT_MODE, null);
    }

    @Test
    void secondDaemonIsRefusedWithHolderPid() {
        try (ChildJvm daemon = ChildJvm.start("hold-daemon-lock", file.toString());
             FlagFile f = FlagFile.openReadWrite(file)) {
            assertEquals(Long.toString(daemon.pid()), daemon.expectLine("locked "));

            FlagFileException e = assertThrows(FlagFileException.class, () -> f.writer().lockForDaemon());

            assertEquals(FlagFileException.Reason.DAEMON_RUNNING, e.reason());
            assertEquals(file + ": maintd is already running on this flag file as pid " + daemon.pid(), e.getMessage());
            assertEquals(daemon.pid(), f.reader().daemon().pid());
        }
    }

    @Test
    void lockIsFreedWhenTheHolderIsKilled() {
        try (ChildJvm daemon = ChildJvm.start("hold-daemon-lock", file.toString());
             FlagFile f = FlagFile.openReadWrite(file)) {
            daemon.expectLine("locked ");

            daemon.kill();

            try (DaemonLock lock = f.writer().lockForDaemon()) {
                assertEquals(ProcessHandle.current().pid(), f.reader().daemon().pid());
            }
        }
    }

    @Test
    void secondDaemonInTheSameProcessIsRefused() {
        try (FlagFile first = FlagFile.openReadWrite(file);
             DaemonLock lock = first.writer().lockForDaemon();
             FlagFile second = FlagFile.openReadWrite(file)) {
            FlagFileException e = assertThrows(FlagFileException.class, () -> second.writer().lockForDaemon());

            assertEquals(FlagFileException.Reason.DAEMON_RUNNING, e.reason());
            assertTrue(e.getMessage().endsWith("as pid " + ProcessHandle.current().pid()), e.getMessage());
        }
    }

    @Test
    void cleanReleaseClearsThePidAndLetsTheNextDaemonIn() {
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            f.writer().lockForDaemon().close();

            assertEquals(0, f.reader().daemon().pid());
            try (ChildJvm next = ChildJvm.start("hold-daemon-lock", file.toString())) {
                assertEquals(Long.toString(next.pid()), next.expectLine("locked "));
                assertEquals(0, next.awaitExit());
            }
        }
    }

    @Test
    void openingAndClosingTheFileAgainInTheDaemonKeepsTheLock() {
        try (FlagFile f = FlagFile.openReadWrite(file); DaemonLock lock = f.writer().lockForDaemon()) {
            FlagFile.openReadOnly(file).close();
            FlagFile.openReadWrite(file).close();

            try (ChildJvm second = ChildJvm.start("hold-daemon-lock", file.toString())) {
                assertEquals(file + ": maintd is already running on this flag file as pid " + ProcessHandle.current().pid(),
                        second.expectLine("refused DAEMON_RUNNING "));
            }
        }
    }

    @Test
    void closingTheFileReleasesItsDaemonLock() {
        FlagFile f = FlagFile.openReadWrite(file);
        f.writer().lockForDaemon();

        f.close();

        try (ChildJvm next = ChildJvm.start("hold-daemon-lock", file.toString())) {
            assertEquals(Long.toString(next.pid()), next.expectLine("locked "));
        }
    }

    @Test
    void daemonRecordsItsStartAndHeartbeat() {
        try (FlagFile f = FlagFile.openReadWrite(file); DaemonLock lock = f.writer().lockForDaemon()) {
            DaemonStatus started = f.reader().daemon();
            lock.heartbeat();
            DaemonStatus beating = f.reader().daemon();

            assertTrue(started.startedAtMillis() > 0);
            assertEquals(started.startedAtMillis(), beating.startedAtMillis());
            assertTrue(beating.heartbeatAtMillis() >= started.heartbeatAtMillis());
            assertTrue(beating.alive(beating.heartbeatAtMillis()), "a daemon that just beat is alive");
            assertTrue(!beating.alive(beating.heartbeatAtMillis() + DaemonStatus.STALE_AFTER_MILLIS + 1),
                    "three missed heartbeats make it stale");
        }
    }
}
