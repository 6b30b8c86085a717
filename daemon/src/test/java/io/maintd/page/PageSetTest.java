package io.maintd.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.config.MaintdConfig.MaintenanceConfig;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageSetTest {
    @TempDir
    Path dir;

    @Test
    void configuredPageIsServedWithItsStatusAndRetryAfter() throws Exception {
        Path file = Files.writeString(dir.resolve("page.html"), "<h1>back at 3</h1>");
        PageSet pages = PageSet.load(new MaintenanceConfig(file, 502, Duration.ofMinutes(5)));
        FullHttpResponse response = pages.maintenance().response(false, false);
        assertEquals(502, response.status().code());
        assertEquals("300", response.headers().get("Retry-After"));
        assertEquals("<h1>back at 3</h1>", response.content().toString(StandardCharsets.UTF_8));
        assertEquals("18", response.headers().get("Content-Length"));
    }

    @Test
    void pageFileIsReadOnceAtLoad() throws Exception {
        Path file = Files.writeString(dir.resolve("page.html"), "first");
        PageSet pages = PageSet.load(new MaintenanceConfig(file, 503, Duration.ofSeconds(1)));
        Files.writeString(file, "second, only after a reload");
        assertEquals("first", pages.maintenance().response(false, false).content().toString(StandardCharsets.UTF_8));
    }

    @Test
    void builtInPageWhenNoneIsConfigured() {
        PageSet pages = PageSet.load(new MaintenanceConfig(null, 503, Duration.ofSeconds(120)));
        assertTrue(pages.maintenance().htmlText().contains("Down for maintenance"));
    }

    @Test
    void missingPageFileIsAnErrorNamingIt() {
        Path missing = dir.resolve("nope.html");
        PageLoadException e = assertThrows(PageLoadException.class,
                () -> PageSet.load(new MaintenanceConfig(missing, 503, Duration.ofSeconds(1))));
        assertTrue(e.getMessage().startsWith("maintenance.page " + missing + ": cannot read"), e.getMessage());
    }

    @Test
    void headResponseKeepsTheLengthButHasNoBody() {
        PageSet pages = PageSet.load(new MaintenanceConfig(null, 503, Duration.ofSeconds(120)));
        FullHttpResponse get = pages.maintenance().response(false, false);
        FullHttpResponse head = pages.maintenance().response(false, true);
        assertEquals(get.headers().get("Content-Length"), head.headers().get("Content-Length"));
        assertEquals(0, head.content().readableBytes());
    }

    @Test
    void errorPagesAnswerJsonWithTheirCode() {
        PageSet pages = PageSet.load(new MaintenanceConfig(null, 503, Duration.ofSeconds(120)));
        FullHttpResponse response = pages.error(HttpResponseStatus.GATEWAY_TIMEOUT).response(true, false);
        assertEquals(504, response.status().code());
        assertEquals("{\"status\":\"error\",\"code\":504}", response.content().toString(StandardCharsets.UTF_8));
        assertEquals("no-store", response.headers().get("Cache-Control"));
    }

    @Test
    void shedPageSaysShed() {
        PageSet pages = PageSet.load(new MaintenanceConfig(null, 503, Duration.ofSeconds(30)));
        FullHttpResponse response = pages.shed().response(true, false);
        assertEquals("{\"status\":\"shed\",\"retry_after\":30}", response.content().toString(StandardCharsets.UTF_8));
    }
}
