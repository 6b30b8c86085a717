package io.maintd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import io.netty.channel.uring.IoUring;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport a real daemon runs on, on this machine and on the hosts that refuse io_uring:
 * {@code no-io-uring.py} starts it under a seccomp filter that refuses io_uring's system calls
 * with EPERM, as Docker's default profile does; {@code -Dio.netty.transport.noNative=true}
 * stands for a host where no native library loads.
 */
@Timeout(120)
class TransportFallbackTest {
    private static final List<String> WITHOUT_IO_URING =
            List.of("/usr/bin/python3", MaintdProcess.repositoryRoot().resolve("daemon/src/test/scripts/no-io-uring.py").toString());

    @TempDir
    Path dir;

    @Test
    void autoRunsOnIoUringWhereTheKernelAllowsIt() throws Exception {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring is refused here: " + IoUring.unavailabilityCause());
        try (HeldBackend backend = new HeldBackend("app");
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(dir, backend.port(), ""), Map.of())) {
            assertTrue(maintd.log().contains("INFO transport: io_uring\n"), maintd.log());
            assertEquals("HTTP/1.1 200 OK", maintd.proxyStatusLine("/"));
        }
    }

    @Test
    void autoFallsBackToEpollWhereIoUringIsRefusedAndSaysWhy() throws Exception {
        requireSeccompModule();
        try (HeldBackend backend = new HeldBackend("app");
             MaintdProcess maintd = MaintdProcess.startWrapped(WITHOUT_IO_URING,
                     MaintdProcess.config(dir, backend.port(), "transport: auto"), Map.of())) {
            assertTrue(maintd.log().contains("INFO transport: epoll (io_uring unavailable: "
                    + "failed to create io_uring ring fd: Operation not permitted)"), maintd.log());
            assertEquals("HTTP/1.1 200 OK", maintd.proxyStatusLine("/"));
        }
    }

    @Test
    void namingARefusedTransportStopsStartUpNamingTheKeyAndTheCause() throws Exception {
        requireSeccompModule();
        try (MaintdProcess maintd = MaintdProcess.launch(WITHOUT_IO_URING,
                MaintdProcess.config(dir, MaintdProcess.freePort(), "transport: io_uring"), Map.of())) {
            assertEquals(1, maintd.awaitExit(), maintd.log());
            assertTrue(maintd.log().contains("maintd: transport: io_uring is not available here: failed to create "
                    + "io_uring ring fd: Operation not permitted (use transport: auto to fall back)"), maintd.log());
            assertTrue(!maintd.log().contains("maintd running"), maintd.log());
        }
    }

    @Test
    void withoutNativeLibrariesAutoRunsOnNio() throws Exception {
        try (HeldBackend backend = new HeldBackend("app");
             MaintdProcess maintd = MaintdProcess.start(MaintdProcess.config(dir, backend.port(), ""),
                     Map.of("JAVA_TOOL_OPTIONS", "-Dio.netty.transport.noNative=true"))) {
            assertTrue(maintd.log().contains("INFO transport: nio (io_uring unavailable: "), maintd.log());
            assertTrue(maintd.log().contains("; epoll unavailable: "), maintd.log());
            assertEquals("HTTP/1.1 200 OK", maintd.proxyStatusLine("/"));
        }
    }

    /** Debian's python3-seccomp; .ci/run installs it. */
    private static void requireSeccompModule() throws Exception {
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import seccomp").redirectErrorStream(true).start();
        assertTrue(probe.waitFor() == 0, "python3-seccomp is missing: apt-get install python3-seccomp (.ci/run does)");
    }
}
