package io.maintd.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.maintd.testsupport.MaintdProcess;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Socket activation through the real {@code systemd-socket-activate} (it binds, waits for the
 * first connection, then execs the server with the socket as fd 3 and LISTEN_PID set), and
 * the exclusive bind used without it.
 */
@Timeout(120)
class SocketActivationTest {
    private static final String ACTIVATE = "/usr/bin/systemd-socket-activate";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(names = {"IO_URING", "EPOLL"})
    void adoptedSocketServesAConnectionQueuedBeforeTheServerStarted(Transport transport) throws Exception {
        assumeUsable(transport);
        int port = MaintdProcess.freePort();
        Process activator = startActivated(transport, port, "--fdname=http");
        try {
            awaitActivatorListening(activator);
            // This connection is what makes systemd-socket-activate exec the server; the kernel
            // holds it in the inherited socket's queue until the new process accepts.
            String reply = requestLine(port);
            assertTrue(reply.startsWith("served by pid " + activator.pid() + " on /127.0.0.1:" + port), reply);
            assertTrue(reply.endsWith("unclaimed 0"), reply);
            assertTrue(activator.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, activator.exitValue(), stderrOf());
        } finally {
            activator.destroyForcibly();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"IO_URING", "EPOLL"})
    void anUnnamedInheritedSocketIsAdoptedToo(Transport transport) throws Exception {
        assumeUsable(transport);
        int port = MaintdProcess.freePort();
        Process activator = startActivated(transport, port);
        try {
            awaitActivatorListening(activator);
            String reply = requestLine(port);
            assertTrue(reply.startsWith("served by pid " + activator.pid() + " on /127.0.0.1:" + port), reply);
            assertTrue(activator.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, activator.exitValue(), stderrOf());
        } finally {
            activator.destroyForcibly();
        }
    }

    @Test
    void anInheritedDatagramSocketIsRefusedNamingTheFd() throws Exception {
        int port = MaintdProcess.freePort();
        Process activator = startActivated(Transport.preferred(), port, "--datagram", "--fdname=http");
        try {
            awaitActivatorListening(activator);
            try (DatagramSocket udp = new DatagramSocket()) {
                udp.send(new DatagramPacket(new byte[] {1}, 1, InetAddress.getLoopbackAddress(), port));
            }
            assertTrue(activator.waitFor(60, TimeUnit.SECONDS));
            assertEquals(2, activator.exitValue());
            assertTrue(stderrOf().contains("inherited fd 3 (http) is not a listening TCP socket"), stderrOf());
        } finally {
            activator.destroyForcibly();
        }
    }

    /**
     * Issue 10: every bind used to set SO_REUSEPORT, so a second daemon bound the same port and
     * the kernel split the connections between the two.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void withoutActivationASecondBindOfTheSamePortIsRefusedNamingAddressAndKey(Transport transport) throws Exception {
        assumeUsable(transport);
        EventLoopGroup group = transport.newGroup(1, "exclusive-bind-test");
        Channel first = listen(group, new InetSocketAddress("127.0.0.1", 0), "first");
        try {
            InetSocketAddress taken = (InetSocketAddress) first.localAddress();
            ListenException e = assertThrows(ListenException.class, () -> listen(group, taken, "second"));
            assertEquals("address 127.0.0.1:" + taken.getPort() + " (listen) already in use: another process listens"
                    + " there (a second maintd with another flag file?); 'ss -ltnp' names it", e.getMessage());
            assertEquals("first", requestLine(taken.getPort()), "the first listener keeps its port");
        } finally {
            first.close();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void withoutActivationAPortHeldByAnotherProgramIsRefusedToo() throws Exception {
        EventLoopGroup group = Transport.preferred().newGroup(1, "conflict-test");
        try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress taken = new InetSocketAddress("127.0.0.1", plain.getLocalPort());
            ListenException e = assertThrows(ListenException.class, () -> listen(group, taken, "http"));
            assertTrue(e.getMessage().startsWith("address 127.0.0.1:" + taken.getPort() + " (listen) already in use"),
                    e.getMessage());
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aPortThatCannotBeBoundForAnotherReasonSaysWhy() {
        EventLoopGroup group = Transport.preferred().newGroup(1, "conflict-test");
        try {
            // 192.0.2.1 (TEST-NET-1) is on no interface of this host: EADDRNOTAVAIL, not "in use".
            InetSocketAddress foreign = new InetSocketAddress("192.0.2.1", 0);
            ListenException e = assertThrows(ListenException.class, () -> listen(group, foreign, "http"));
            assertTrue(e.getMessage().startsWith("address 192.0.2.1:0 (listen): cannot listen: "), e.getMessage());
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static Channel listen(EventLoopGroup group, InetSocketAddress address, String answer) {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).childHandler(new AnswerLine(answer));
        return new SocketActivation(ListenFds.none()).listen(bootstrap, address, answer, "listen");
    }

    /** Answers every connection with one line naming the listener, then closes it. */
    @ChannelHandler.Sharable
    private static final class AnswerLine extends ChannelInboundHandlerAdapter {
        private final String answer;

        AnswerLine(String answer) {
            this.answer = answer;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.copiedBuffer(answer + "\n", StandardCharsets.US_ASCII))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** io_uring may be refused by the kernel (kernel.io_uring_disabled, seccomp); epoll is then what runs. */
    static void assumeUsable(Transport transport) {
        assumeTrue(transport.usable(), () -> transport + " is not available on this machine");
    }

    private Process startActivated(Transport transport, int port, String... activatorOptions) throws IOException {
        if (!Files.isExecutable(Path.of(ACTIVATE))) {
            throw new AssertionError(ACTIVATE + " is missing: it comes with Debian's systemd package");
        }
        List<String> command = new ArrayList<>(List.of(ACTIVATE, "-l", "127.0.0.1:" + port));
        command.addAll(List.of(activatorOptions));
        command.addAll(List.of(javaBinary(), "-cp", System.getProperty("java.class.path"),
                ActivatedLineServer.class.getName(), transport.toString()));
        return new ProcessBuilder(command)
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
    }

    /** systemd-socket-activate prints "Listening on ADDRESS as 3." once its socket is bound. */
    private void awaitActivatorListening(Process activator) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!stderrOf().contains("Listening on")) {
            if (!activator.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("systemd-socket-activate did not start listening: " + stderrOf());
            }
            Thread.sleep(20);
        }
    }

    private String stderrOf() throws IOException {
        Path stderr = dir.resolve("stderr");
        return Files.exists(stderr) ? Files.readString(stderr) : "";
    }

    private static String requestLine(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(60_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertNotEquals(null, line, "connection closed without a reply");
            return line;
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
