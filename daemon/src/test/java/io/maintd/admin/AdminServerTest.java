package io.maintd.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagWriter;
import io.maintd.lifecycle.ModeSource;
import io.maintd.flagfile.StandardFlags;
import io.maintd.net.ListenFds;
import io.maintd.net.SlowPeer;
import io.maintd.net.SocketActivation;
import io.maintd.net.Transport;
import io.maintd.testsupport.TempFlagFile;
import io.netty.channel.EventLoopGroup;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class AdminServerTest {
    @TempDir
    Path dir;
    private TempFlagFile file;
    private FlagWriter flags;
    private EventLoopGroup group;
    private ModeSource modes;
    private AdminServer admin;
    private final List<AdminServer> others = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();
    /** What the default backend's health says, as the daemon's BackendHealth would. */
    private volatile String backendDown;

    @BeforeEach
    void start() {
        file = TempFlagFile.create(dir);
        flags = file.writer();
        modes = ModeSource.of(StandardFlags.defineMissing(flags));
        Transport transport = Transport.preferred();
        group = transport.newGroup(1, "test-admin");
        admin = AdminServer.start(new SocketActivation(ListenFds.none()),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(".ops.example.com", "lb.internal"), group,
                new AdminRoutes().add("/healthz", new HealthEndpoint(modes, () -> backendDown)));
    }

    @AfterEach
    void stop() {
        others.forEach(AdminServer::close);
        admin.close();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        file.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + admin.address().getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void set(String flag, long value) {
        flags.set(flags.reader().handle(flag), value);
    }

    @Test
    void healthIsReadyWhenNeitherDrainNorMaint() throws Exception {
        HttpResponse<String> response = send("GET", "/healthz");
        assertEquals(200, response.statusCode());
        assertEquals("ready\n", response.body());
        assertEquals("no-store", response.headers().firstValue("cache-control").orElseThrow());
    }

    @Test
    void healthIsUnavailableWhileDraining() throws Exception {
        set("drain", 1);
        HttpResponse<String> response = send("GET", "/healthz");
        assertEquals(503, response.statusCode());
        assertEquals("drain\n", response.body());
    }

    @Test
    void healthIsUnavailableAsSoonAsShutdownBegins() throws Exception {
        modes.beginShutdown();
        HttpResponse<String> response = send("GET", "/healthz");
        assertEquals(503, response.statusCode());
        assertEquals("drain\n", response.body());
    }

    @Test
    void maintenanceWinsOverDrain() throws Exception {
        set("drain", 1);
        set("maint", 1);
        HttpResponse<String> response = send("GET", "/healthz");
        assertEquals(503, response.statusCode());
        assertEquals("maint\n", response.body());
    }

    @Test
    void healthFollowsFlipsBackToReady() throws Exception {
        set("maint", 1);
        assertEquals(503, send("GET", "/healthz").statusCode());
        set("maint", 0);
        assertEquals(200, send("GET", "/healthz").statusCode());
    }

    @Test
    void healthIsUnavailableWithTheReasonWhileTheDefaultBackendIsDown() throws Exception {
        backendDown = "backend app has no server up (127.0.0.1:9001: tcp check: Connection refused)";
        HttpResponse<String> response = send("GET", "/healthz");
        assertEquals(503, response.statusCode());
        assertEquals("down: backend app has no server up (127.0.0.1:9001: tcp check: Connection refused)\n",
                response.body());
        backendDown = null;
        assertEquals(200, send("GET", "/healthz").statusCode());
    }

    /** One fact a line, the strongest first: the operator's maint, then the dead backend. */
    @Test
    void modeComesBeforeTheDownBackend() throws Exception {
        backendDown = "backend app has no server up";
        set("maint", 1);
        HttpResponse<String> response = send("GET", "/healthz");
        assertEquals(503, response.statusCode());
        assertEquals("maint\ndown: backend app has no server up\n", response.body());
    }

    @Test
    void headGetsTheStatusWithoutABody() throws Exception {
        set("drain", 1);
        HttpResponse<String> response = send("HEAD", "/healthz");
        assertEquals(503, response.statusCode());
        assertEquals("", response.body());
    }

    @Test
    void unknownPathIsNotFoundAndListsTheKnownOnes() throws Exception {
        HttpResponse<String> response = send("GET", "/nope");
        assertEquals(404, response.statusCode());
        assertEquals("no such admin path; try /healthz\n", response.body());
    }

    @Test
    void otherMethodsAreRefused() throws Exception {
        HttpResponse<String> response = send("POST", "/healthz");
        assertEquals(405, response.statusCode());
        assertEquals("GET, HEAD", response.headers().firstValue("allow").orElseThrow());
    }

    /** An admin server whose request deadline is 1 s instead of 10, so the tests below stay short. */
    private AdminServer quickAdmin() {
        AdminServer quick = AdminServer.start(new SocketActivation(ListenFds.none()),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(), group,
                new AdminRoutes().add("/healthz", new HealthEndpoint(modes, () -> backendDown)), Duration.ofSeconds(1));
        others.add(quick);
        return quick;
    }

    /** Issue 10: the admin port had no timeout at all; a trickling client held its connection for ever. */
    @Test
    void aClientTricklingARequestIsClosedAtTheDeadline() throws Exception {
        assertTrue(SlowPeer.closedWhileTrickling(quickAdmin().address(), "GET /healthz HTTP/1.1\r\nX-Slow: ",
                Duration.ofMillis(300), Duration.ofSeconds(20)));
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAtTheDeadlineAfterItsLastResponse() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", quickAdmin().address().getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(received.startsWith("HTTP/1.1 200 OK"), received);
        }
    }

    @Test
    void everyResponseGivesTheConnectionAFreshDeadline() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", quickAdmin().address().getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 3; i++) {
                // 3 x 600 ms: longer than one deadline, shorter than one between requests.
                TimeUnit.MILLISECONDS.sleep(600);
                out.write(("GET /healthz HTTP/1.1\r\nHost: localhost\r\n" + (i == 2 ? "Connection: close\r\n" : "")
                        + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            String received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertEquals(3, received.split("HTTP/1.1 200 OK", -1).length - 1, received);
        }
    }

    /** The status line the default admin server answers to GET /healthz with this Host line (or none). */
    private String statusWithHost(String hostLine) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", admin.address().getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET /healthz HTTP/1.1\r\n" + hostLine + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return received.substring(0, received.indexOf("\r\n"));
        }
    }

    /** Issue 10: the admin port answered any Host, so a DNS-rebinding page could read /flags from a browser. */
    @Test
    void aForeignHostIsRefusedWith421NamingTheKey() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", admin.address().getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: rebind.attacker.example:9090\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            String received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(received.startsWith("HTTP/1.1 421 Misdirected Request\r\n"), received);
            assertTrue(received.endsWith("the admin port does not answer for host 'rebind.attacker.example:9090'; add it"
                    + " to admin.allowed-hosts in maintd.yaml (localhost and IP addresses are always answered)\n"), received);
        }
    }

    @Test
    void localhostIpLiteralsAndAMissingHostAreAnswered() throws Exception {
        for (String host : List.of("localhost", "LocalHost:9090", "localhost.:9090", "grafana.localhost", "127.0.0.1",
                "127.0.0.1:9090", "10.1.2.3:9090", "[::1]", "[::1]:9090")) {
            assertEquals("HTTP/1.1 200 OK", statusWithHost("Host: " + host + "\r\n"), host);
        }
        assertEquals("HTTP/1.1 200 OK", statusWithHost(""), "no Host: an HTTP/1.0-style health checker, never a browser");
    }

    @Test
    void configuredNamesAndTheirWildcardsAreAnsweredAndLookalikesAreNot() throws Exception {
        for (String host : List.of("lb.internal", "LB.Internal.:80", "prometheus.ops.example.com")) {
            assertEquals("HTTP/1.1 200 OK", statusWithHost("Host: " + host + "\r\n"), host);
        }
        for (String host : List.of("ops.example.com", "lb.internal.attacker.example", "localhost.attacker.example",
                "127.0.0.1.nip.io", "localhost:admin", "[::1]x", "attacker.example@localhost", "")) {
            assertEquals("HTTP/1.1 421 Misdirected Request", statusWithHost("Host: " + host + "\r\n"), host);
        }
    }
}
