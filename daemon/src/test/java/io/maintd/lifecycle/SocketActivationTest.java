package io.maintd.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Socket activation through the real {@code systemd-socket-activate} (it binds, waits for the
 * first connection, then execs the server with the socket as fd 3 and LISTEN_PID set), and
 * the SO_REUSEPORT bind used without it.
 */
@Timeout(120)
class SocketActivationTest {
    private static final String ACTIVATE = "/usr/bin/systemd-socket-activate";

    @TempDir
    Path dir;

    @Test
    void adoptedSocketServesAConnectionQueuedBeforeTheServerStarted() throws Exception {
        int port = freePort();
        Process activator = startActivated(port, "--fdname=http");
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

    @Test
    void anUnnamedInheritedSocketIsAdoptedToo() throws Exception {
        int port = freePort();
        Process activator = startActivated(port);
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
        int port = freePort();
        Process activator = startActivated(port, "--datagram", "--fdname=http");
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

    @ParameterizedTest
    @EnumSource(Transport.class)
    void withoutActivationTwoInstancesBindTheSamePortAndBothGetConnections(Transport transport) throws Exception {
        EventLoopGroup group = transport.newGroup(1, "reuseport-test");
        List<Channel> listeners = new ArrayList<>();
        try {
            Channel first = listen(group, new InetSocketAddress("127.0.0.1", 0), "first");
            listeners.add(first);
            InetSocketAddress taken = (InetSocketAddress) first.localAddress();
            Channel second = listen(group, taken, "second");
            listeners.add(second);
            assertEquals(taken, second.localAddress());
            // The kernel spreads connections over the group by a hash of the client's address and
            // port; 200 connections all landing on one listener would be a 2^-199 accident.
            Set<String> answered = new HashSet<>();
            for (int i = 0; i < 200 && answered.size() < 2; i++) {
                answered.add(requestLine(taken.getPort()));
            }
            assertEquals(Set.of("first", "second"), answered);
        } finally {
            listeners.forEach(Channel::close);
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void withoutActivationABindConflictNamesTheAddress() throws Exception {
        EventLoopGroup group = Transport.preferred().newGroup(1, "conflict-test");
        try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress taken = (InetSocketAddress) plain.getLocalSocketAddress();
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> listen(group, taken, "http"));
            assertTrue(e.getMessage().startsWith("listener http: cannot listen on " + taken), e.getMessage());
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static Channel listen(EventLoopGroup group, InetSocketAddress address, String answer) {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).childHandler(new AnswerLine(answer));
        return new SocketActivation(ListenFds.none()).listen(bootstrap, address, answer);
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

    private Process startActivated(int port, String... activatorOptions) throws IOException {
        if (!Files.isExecutable(Path.of(ACTIVATE))) {
            throw new AssertionError(ACTIVATE + " is missing: it comes with Debian's systemd package");
        }
        List<String> command = new ArrayList<>(List.of(ACTIVATE, "-l", "127.0.0.1:" + port));
        command.addAll(List.of(activatorOptions));
        command.addAll(List.of(javaBinary(), "-cp", System.getProperty("java.class.path"),
                ActivatedLineServer.class.getName()));
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

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
