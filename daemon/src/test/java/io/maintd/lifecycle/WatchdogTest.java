package io.maintd.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.net.Transport;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class WatchdogTest {
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void pingsAtHalfOfWatchdogUsec() {
        assertEquals(Optional.of(Duration.ofSeconds(5)), Watchdog.pingInterval(Map.of("WATCHDOG_USEC", "10000000"), PID));
    }

    @Test
    void noWatchdogWithoutWatchdogUsec() {
        assertEquals(Optional.empty(), Watchdog.pingInterval(Map.of(), PID));
    }

    @Test
    void noWatchdogWhenWatchdogPidIsAnotherProcess() {
        assertEquals(Optional.empty(),
                Watchdog.pingInterval(Map.of("WATCHDOG_USEC", "10000000", "WATCHDOG_PID", Long.toString(PID + 1)), PID));
    }

    @Test
    void watchdogPidOfThisProcessEnablesIt() {
        assertEquals(Optional.of(Duration.ofSeconds(1)),
                Watchdog.pingInterval(Map.of("WATCHDOG_USEC", "2000000", "WATCHDOG_PID", Long.toString(PID)), PID));
    }

    @Test
    void malformedWatchdogUsecIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Watchdog.pingInterval(Map.of("WATCHDOG_USEC", "10s"), PID));
        assertEquals("WATCHDOG_USEC=10s is not a number of microseconds", e.getMessage());
    }

    @Test
    void pingsOnlyOnTicksWhereTheHealthCheckPasses() throws Exception {
        EventLoopGroup group = Transport.EPOLL.newGroup(1, "watchdog-test");
        String socket = dir.resolve("notify.sock").toString();
        // Ticks 1 and 5 are healthy, 2-4 are not; every tick after the script is unhealthy.
        boolean[] script = {true, false, false, false, true};
        AtomicInteger tick = new AtomicInteger();
        CountDownLatch scriptDone = new CountDownLatch(1);
        BooleanSupplier healthy = () -> {
            int n = tick.getAndIncrement();
            if (n == script.length - 1) {
                scriptDone.countDown();
            }
            return n < script.length && script[n];
        };
        try (NotifyReceiver systemd = new NotifyReceiver(group, socket);
             SystemdNotifier notifier = SystemdNotifier.open(socket, group)) {
            Watchdog watchdog = Watchdog.start(notifier, Duration.ofMillis(20), healthy, group.next());
            try {
                assertTrue(scriptDone.await(30, TimeUnit.SECONDS));
                // Queued behind the fifth tick's ping on the same loop, so it marks the end of the script.
                group.next().submit(() -> notifier.status("end")).syncUninterruptibly();
            } finally {
                watchdog.close();
            }
            assertEquals("WATCHDOG=1", systemd.next());
            assertEquals("WATCHDOG=1", systemd.next());
            assertEquals("STATUS=end", systemd.next());
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
