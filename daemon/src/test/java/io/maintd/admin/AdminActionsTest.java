package io.maintd.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagFileKeeper;
import io.maintd.flagfile.FlagWriter;
import io.maintd.health.BackendHealth;
import io.maintd.lifecycle.ModeSource;
import io.maintd.net.ListenFds;
import io.maintd.net.SocketActivation;
import io.maintd.net.Transport;
import io.maintd.flagfile.StandardFlags;
import io.maintd.proxy.RawHttp;
import io.maintd.proxy.TrafficCounters;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin page's actions on a real admin port: who may use them (token, same origin), what a
 * form may hold, and that a write that goes through is recorded like flagctl's.
 */
@Timeout(60)
class AdminActionsTest {
    private static final String TOKEN = "s3cret-token-for-tests-0123";

    @TempDir
    Path dir;
    private Path flagsFile;
    private FlagFile file;
    private FlagWriter flags;
    private EventLoopGroup group;
    private ScheduledExecutorService io;
    private AdminServer admin;

    private void start(String token) {
        flagsFile = dir.resolve("flags");
        FlagFile.createIfMissing(flagsFile, 64, FlagFile.DEFAULT_MODE, null);
        file = FlagFile.openReadWrite(flagsFile);
        flags = file.writer();
        ModeSource modes = ModeSource.of(StandardFlags.defineMissing(flags));
        group = Transport.preferred().newGroup(1, "test-admin-actions");
        io = Executors.newSingleThreadScheduledExecutor();
        AdminRoutes routes = new AdminRoutes();
        StatusEndpoint status = new StatusEndpoint(modes, new TrafficCounters(nanos -> { }), () -> 1, flagsFile,
                FlagFileKeeper.of(file)::condition, BackendHealth.create(group, null));
        routes.add("/status", status);
        AdminConsole.install(routes, status, token, flags, flagsFile, io);
        admin = AdminServer.start(new SocketActivation(ListenFds.none()),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), List.of(), group, routes);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (admin != null) {
            admin.close();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            io.shutdownNow();
            io.awaitTermination(10, TimeUnit.SECONDS);
            file.close();
        }
    }

    private long value(String flag) {
        return flags.reader().handle(flag).get();
    }

    private String auditLog() throws Exception {
        Path log = dir.resolve("flags.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** One request on a fresh connection: {@code head} lines (CRLF-ended) then the form body. */
    private RawHttp.Response post(String head, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (RawHttp http = new RawHttp(admin.address().getPort())) {
            http.send("POST /actions/set HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + head
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + bytes.length + "\r\n\r\n");
            http.send(bytes);
            return http.read();
        }
    }

    private RawHttp.Response postWithToken(String body) throws Exception {
        return post("Authorization: Bearer " + TOKEN + "\r\n", body);
    }

    @Test
    void withoutATokenConfiguredEveryActionIsRefusedAndNothingIsWritten() throws Exception {
        start(null);
        RawHttp.Response response = postWithToken("flag=maint&value=1");
        assertEquals(403, response.status());
        assertTrue(response.text().startsWith("actions are off: admin.token is not set"), response.text());
        assertEquals(0, value("maint"));
        assertEquals("", auditLog());
        assertTrue(status().contains("\"actions\":false"), status());
    }

    @Test
    void aMissingOrWrongTokenIs401AndWritesNothing() throws Exception {
        start(TOKEN);
        for (String authorization : List.of("", "Authorization: Bearer wrong-token-wrong-token\r\n",
                "Authorization: Basic " + TOKEN + "\r\n", "Authorization: Bearer " + TOKEN + "x\r\n",
                "Authorization: Bearer\r\n")) {
            RawHttp.Response response = post(authorization, "flag=maint&value=1");
            assertEquals(401, response.status(), authorization);
            assertEquals("Bearer realm=\"maintd admin\"", response.header("www-authenticate"));
        }
        assertEquals(0, value("maint"));
        assertEquals("", auditLog());
    }

    @Test
    void aRequestFromAnotherSiteIsRefusedEvenWithTheToken() throws Exception {
        start(TOKEN);
        for (String crossSite : List.of("Origin: http://attacker.example\r\n", "Origin: null\r\n",
                "Origin: http://127.0.0.1.attacker.example\r\n", "Sec-Fetch-Site: cross-site\r\n",
                "Sec-Fetch-Site: same-site\r\n", "Origin: http://127.0.0.1:1\r\n")) {
            RawHttp.Response response = post(crossSite + "Authorization: Bearer " + TOKEN + "\r\n", "flag=maint&value=1");
            assertEquals(403, response.status(), crossSite);
        }
        assertEquals(0, value("maint"));
    }

    @Test
    void aRequestFromThePageItselfGoesThroughAndIsAudited() throws Exception {
        start(TOKEN);
        RawHttp.Response response = post("Origin: http://127.0.0.1\r\nSec-Fetch-Site: same-origin\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\n", "flag=maint&value=1&for=30m&reason=db+migration%20%22v2%22");
        assertEquals(200, response.status(), response.text());
        assertTrue(response.text().matches("\\{\"flag\":\"maint\",\"old\":0,\"new\":1,\"expires_at\":\"20\\d\\d-[^\"]+Z\"}\n"),
                response.text());
        assertEquals(1, value("maint"));
        assertTrue(flags.reader().snapshot(flags.reader().handle("maint")).orElseThrow().expires());
        String log = auditLog();
        assertTrue(log.matches("time=20\\S+Z user=\\S+ uid=\\d+ pid=" + ProcessHandle.current().pid()
                + " writer=admin-page op=set flag=maint old=0 new=1 expires=20\\S+Z reason=\"db migration \\\\\"v2\\\\\"\""
                + " client=127\\.0\\.0\\.1:\\d+\n"), log);
    }

    @Test
    void shedTakesAPercentageAndDrainAndMaintZeroOrOne() throws Exception {
        start(TOKEN);
        assertEquals(200, postWithToken("flag=shed&value=25").status());
        assertEquals(25, value("shed"));
        assertEquals(200, postWithToken("flag=drain&value=1").status());
        assertEquals(1, value("drain"));
        assertEquals(200, postWithToken("flag=drain&value=0").status());
        assertEquals(0, value("drain"));
        assertEquals(3, auditLog().lines().count());
    }

    @Test
    void everyMalformedFormIsRefusedWithoutWriting() throws Exception {
        start(TOKEN);
        for (String body : List.of("", "flag=maint", "value=1", "flag=weight&value=1", "flag=inflight&value=0",
                "flag=maint&value=2", "flag=shed&value=101", "flag=maint&value=-1", "flag=maint&value=1e0",
                "flag=maint&value=+1", "flag=maint&value=%D9%A1", "flag=maint&value=99999999999999999999",
                "flag=maint&value=1&value=1", "flag=maint&flag=drain&value=1", "flag=maint&value=1&extra=x",
                "flag=maint&value=1&for=soon", "flag=maint&value=1&for=0s", "flag=maint&value=1&for=9999999999999d",
                "flag=maint&value=1&reason=" + "x".repeat(SetFlagAction.MAX_REASON + 1),
                "flag=maint&value=1&reason=line%0Abreak", "flag=maint&value=1&reason=%00",
                "flag=maint&value=1&reason=%zz", "flag=maint&value=1&a=1&b=2&c=3&d=4&e=5&f=6")) {
            RawHttp.Response response = postWithToken(body);
            assertEquals(400, response.status(), body + " -> " + response.text());
        }
        assertEquals(0, value("maint"));
        assertEquals(0, value("shed"));
        assertEquals("", auditLog());
    }

    @Test
    void aBodyOfAnotherTypeIs415() throws Exception {
        start(TOKEN);
        try (RawHttp http = new RawHttp(admin.address().getPort())) {
            String body = "{\"flag\":\"maint\",\"value\":1}";
            http.send("POST /actions/set HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertEquals(415, http.read().status());
        }
        assertEquals(0, value("maint"));
    }

    @Test
    void anOversizeBodyIsRefusedWithoutWriting() throws Exception {
        start(TOKEN);
        RawHttp.Response response = postWithToken("flag=maint&value=1&reason=" + "x".repeat(9000));
        assertEquals(413, response.status());
        assertEquals(0, value("maint"));
    }

    @Test
    void aBodyCutShortWritesNothing() throws Exception {
        start(TOKEN);
        try (RawHttp http = new RawHttp(admin.address().getPort())) {
            http.send("POST /actions/set HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nflag=maint&value=1");
            http.output().close();
            assertTrue(http.closedByServer());
        }
        // A later request is answered, so the cut one had its chance to do harm.
        assertEquals(200, postWithToken("flag=drain&value=0").status());
        assertEquals(0, value("maint"));
    }

    @Test
    void readingAnActionPathIs405AndPostingToAReadPathToo() throws Exception {
        start(TOKEN);
        try (RawHttp http = new RawHttp(admin.address().getPort())) {
            http.send("GET /actions/set HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttp.Response response = http.read();
            assertEquals(405, response.status());
            assertEquals("POST", response.header("allow"));
            http.send("POST /status HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
            response = http.read();
            assertEquals(405, response.status());
            assertEquals("GET, HEAD", response.header("allow"));
        }
    }

    @Test
    void aRebindingHostIsRefusedBeforeTheTokenIsLookedAt() throws Exception {
        start(TOKEN);
        try (RawHttp http = new RawHttp(admin.address().getPort())) {
            String body = "flag=maint&value=1";
            http.send("POST /actions/set HTTP/1.1\r\nHost: rebind.attacker.example\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertEquals(421, http.read().status());
        }
        assertEquals(0, value("maint"));
    }

    @Test
    void aWriteThatCannotBeAuditedIsNotMade() throws Exception {
        start(TOKEN);
        Files.createDirectory(dir.resolve("flags.log"));
        RawHttp.Response response = postWithToken("flag=maint&value=1");
        assertEquals(500, response.status());
        assertTrue(response.text().contains("flags.log: cannot open the audit log"), response.text());
        assertEquals(0, value("maint"));
    }

    @Test
    void statusCarriesTheAuditTailOnceWritten() throws Exception {
        start(TOKEN);
        assertEquals(200, postWithToken("flag=maint&value=1&reason=tail").status());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!status().contains("reason=tail")) {
            assertTrue(System.nanoTime() < deadline, status());
            TimeUnit.MILLISECONDS.sleep(50);
        }
        assertTrue(status().contains("\"actions\":true"));
        assertFalse(status().contains(TOKEN), "the token never leaves the server");
    }

    private String status() throws Exception {
        try (RawHttp http = new RawHttp(admin.address().getPort())) {
            http.send("GET /status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            return http.read().text();
        }
    }
}
