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
import org.junit.jupiter.api.Timeout;
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

    /** Issue 10: opening a FIFO blocked until a writer came, so a reload to it hung for good. */
    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("page.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        assertEquals("maintenance.page " + fifo + ": is not a regular file (a device, FIFO or socket); give the path"
                + " of an HTML file", refusal(fifo));
    }

    /** Issue 10: /dev/zero reports size 0 and never ends; reading it whole ran the JVM out of memory. */
    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDeviceIsRefused() {
        Path zero = Path.of("/dev/zero");
        assertEquals("maintenance.page /dev/zero: is not a regular file (a device, FIFO or socket); give the path"
                + " of an HTML file", refusal(zero));
    }

    @Test
    void aDirectoryIsRefused() {
        assertEquals("maintenance.page " + dir + ": is a directory; give the path of an HTML file", refusal(dir));
    }

    @Test
    void aPageOfOneMebibyteIsServedAndOneByteMoreIsRefused() throws Exception {
        Path page = Files.write(dir.resolve("big.html"), new byte[PageSet.MAX_PAGE_BYTES]);
        PageSet pages = PageSet.load(new MaintenanceConfig(page, 503, Duration.ofSeconds(1)));
        assertEquals(PageSet.MAX_PAGE_BYTES, pages.maintenance().response(false, false).content().readableBytes());

        Files.write(page, new byte[PageSet.MAX_PAGE_BYTES + 1]);
        assertEquals("maintenance.page " + page + ": is larger than the 1048576 bytes (1 MiB) a maintenance page may have",
                refusal(page));
    }

    /** A regular file whose size says 0 but which has content, as /proc files do: the read is bounded, not the stat. */
    @Test
    void aFileThatReportsNoSizeIsStillReadWithinTheCap() {
        Path status = Path.of("/proc/self/status");
        PageSet pages = PageSet.load(new MaintenanceConfig(status, 503, Duration.ofSeconds(1)));
        assertTrue(pages.maintenance().htmlText().contains("Pid:"), pages.maintenance().htmlText());
    }

    private static String refusal(Path page) {
        return assertThrows(PageLoadException.class,
                () -> PageSet.load(new MaintenanceConfig(page, 503, Duration.ofSeconds(1)))).getMessage();
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
