package io.maintd.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagWriter;
import io.maintd.lifecycle.ListenFds;
import io.maintd.lifecycle.ModeSource;
import io.maintd.lifecycle.SocketActivation;
import io.maintd.lifecycle.Transport;
import io.maintd.monitor.StandardFlags;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
    private FlagFile file;
    private FlagWriter flags;
    private EventLoopGroup group;
    private ModeSource modes;
    private AdminServer admin;
    private final HttpClient client = HttpClient.newHttpClient();
    /** What the default backend's health says, as the daemon's BackendHealth would. */
    private volatile String backendDown;

    @BeforeEach
    void start() {
        Path path = dir.resolve("flags");
        FlagFile.createIfMissing(path, 16, FlagFile.DEFAULT_MODE, null);
        file = FlagFile.openReadWrite(path);
        flags = file.writer();
        modes = ModeSource.of(StandardFlags.defineMissing(flags));
        Transport transport = Transport.preferred();
        group = transport.newGroup(1, "test-admin");
        admin = AdminServer.start(new SocketActivation(ListenFds.none()),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), group,
                new AdminRoutes().add("/healthz", new HealthEndpoint(modes, () -> backendDown)));
    }

    @AfterEach
    void stop() {
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
}
