package io.maintd.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.maintd.net.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class SystemdNotifierTest {
    @TempDir
    Path dir;

    private EventLoopGroup group;

    @BeforeEach
    void startGroup() {
        group = Transport.EPOLL.newGroup(1, "notify-test");
    }

    @AfterEach
    void stopGroup() {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void lifecycleMessagesArriveInOrderOnAPathSocket() throws Exception {
        String socket = dir.resolve("notify.sock").toString();
        try (NotifyReceiver systemd = new NotifyReceiver(group, socket);
             SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket), group)) {
            assertTrue(notifier.active());
            notifier.ready();
            notifier.status("ready; 0 in flight");
            notifier.reloading();
            notifier.ready();
            notifier.stopping();
            assertEquals("READY=1", systemd.next());
            assertEquals("STATUS=ready; 0 in flight", systemd.next());
            assertTrue(systemd.next().startsWith("RELOADING=1\nMONOTONIC_USEC="));
            assertEquals("READY=1", systemd.next());
            assertEquals("STOPPING=1", systemd.next());
        }
    }

    @Test
    void abstractSocketNamedWithAtIsReached() throws Exception {
        String socket = "@maintd-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifyReceiver systemd = new NotifyReceiver(group, socket);
             SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket), group)) {
            // The kernel lists abstract sockets with a leading '@' and never creates a file for them.
            assertTrue(Files.readString(Path.of("/proc/net/unix")).contains(socket), "receiver is not abstract");
            notifier.ready();
            notifier.watchdog();
            assertEquals("READY=1", systemd.next());
            assertEquals("WATCHDOG=1", systemd.next());
        }
    }

    @Test
    void reloadingCarriesTheMonotonicClockInMicroseconds() throws Exception {
        String socket = dir.resolve("notify.sock").toString();
        try (NotifyReceiver systemd = new NotifyReceiver(group, socket);
             SystemdNotifier notifier = SystemdNotifier.open(socket, group)) {
            long before = System.nanoTime() / 1_000;
            notifier.reloading();
            long after = System.nanoTime() / 1_000;
            String[] lines = systemd.next().split("\n");
            assertEquals("RELOADING=1", lines[0]);
            long usec = Long.parseLong(lines[1].substring("MONOTONIC_USEC=".length()));
            assertTrue(usec >= before && usec <= after, usec + " not in [" + before + ", " + after + "]");
        }
    }

    @Test
    void statusTextCannotSmuggleInAnotherAssignment() throws Exception {
        String socket = dir.resolve("notify.sock").toString();
        try (NotifyReceiver systemd = new NotifyReceiver(group, socket);
             SystemdNotifier notifier = SystemdNotifier.open(socket, group)) {
            notifier.status("draining\nREADY=1");
            assertEquals("STATUS=draining READY=1", systemd.next());
        }
    }

    @Test
    void withoutNotifySocketTheNotifierIsInactiveAndCallsSucceed() {
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of(), group);
        assertFalse(notifier.active());
        assertTrue(notifier.ready().isSuccess());
        assertTrue(notifier.stopping().isSuccess());
    }

    @Test
    void unreachableSocketFailsTheSendWithoutThrowing() {
        try (SystemdNotifier notifier = SystemdNotifier.open(dir.resolve("nobody-listens.sock").toString(), group)) {
            Future<Void> sent = notifier.ready().awaitUninterruptibly();
            assertFalse(sent.isSuccess());
        }
    }

    /** Netty has unix datagram sockets only for epoll; a daemon on another transport still notifies. */
    @ParameterizedTest
    @EnumSource(names = {"IO_URING", "NIO"})
    void aGroupOfAnotherTransportSendsFromAnEpollLoopOfItsOwn(Transport transport) throws Exception {
        assumeTrue(transport.usable(), () -> transport + " is not available on this machine");
        EventLoopGroup other = transport.newGroup(1, "notify-other-test");
        String socket = dir.resolve("notify.sock").toString();
        try (NotifyReceiver systemd = new NotifyReceiver(group, socket);
             SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket), other)) {
            notifier.ready();
            notifier.stopping();
            assertEquals("READY=1", systemd.next());
            assertEquals("STOPPING=1", systemd.next());
        } finally {
            other.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
