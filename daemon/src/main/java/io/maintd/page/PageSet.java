package io.maintd.page;

import io.maintd.config.MaintdConfig.MaintenanceConfig;
import io.maintd.json.JsonObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Every response the proxy makes itself, rendered at load (start and reload): the
 * maintenance page (from {@code maintenance.page} or built in), the shed page, and the error
 * pages for the statuses the proxy generates. All share the {@link Page} machinery, so an
 * error answers JSON to a JSON client exactly like the maintenance page does.
 */
public final class PageSet {
    /** A maintenance page bigger than this (1 MiB) is almost certainly the wrong file. */
    static final int MAX_PAGE_BYTES = 1 << 20;

    private static final HttpResponseStatus[] ERROR_STATUSES = {
        HttpResponseStatus.BAD_REQUEST,
        HttpResponseStatus.REQUEST_TIMEOUT,
        HttpResponseStatus.REQUEST_URI_TOO_LONG,
        HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
        HttpResponseStatus.NOT_IMPLEMENTED,
        HttpResponseStatus.BAD_GATEWAY,
        HttpResponseStatus.SERVICE_UNAVAILABLE,
        HttpResponseStatus.GATEWAY_TIMEOUT,
        HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
    };

    private final Page maintenance;
    private final Page shed;
    private final Map<Integer, Page> errors;

    private PageSet(Page maintenance, Page shed, Map<Integer, Page> errors) {
        this.maintenance = maintenance;
        this.shed = shed;
        this.errors = errors;
    }

    /** Reads the configured page once; throws {@link PageLoadException} naming the file on failure. */
    public static PageSet load(MaintenanceConfig config) {
        long retryAfter = config.retryAfter().toSeconds();
        HttpResponseStatus status = HttpResponseStatus.valueOf(config.status());
        byte[] html = config.page() == null
                ? PageTemplate.render("Down for maintenance",
                        "This service is being worked on and will be back shortly. Please try again in a few minutes.")
                : readPage(config.page());
        Page maintenance = new Page(status, retryAfter, html, statusJson("maintenance", retryAfter));
        Page shed = new Page(HttpResponseStatus.SERVICE_UNAVAILABLE, retryAfter,
                PageTemplate.render("Too busy right now",
                        "This service is turning away some requests to stay responsive. Please try again shortly."),
                statusJson("shed", retryAfter));
        Map<Integer, Page> errors = new HashMap<>();
        for (HttpResponseStatus error : ERROR_STATUSES) {
            errors.put(error.code(), new Page(error, -1,
                    PageTemplate.render(error.code() + " " + error.reasonPhrase(), PageTemplate.explain(error)),
                    utf8(new JsonObject().put("status", "error").put("code", error.code()))));
        }
        return new PageSet(maintenance, shed, Map.copyOf(errors));
    }

    public Page maintenance() {
        return maintenance;
    }

    public Page shed() {
        return shed;
    }

    /** The page for a status the proxy generates; only those listed in {@link #ERROR_STATUSES} exist. */
    public Page error(HttpResponseStatus status) {
        Page page = errors.get(status.code());
        if (page == null) {
            throw new IllegalArgumentException("the proxy never generates " + status);
        }
        return page;
    }

    private static byte[] statusJson(String status, long retryAfter) {
        return utf8(new JsonObject().put("status", status).put("retry_after", retryAfter));
    }

    private static byte[] utf8(JsonObject json) {
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Only a regular file, and never more than {@link #MAX_PAGE_BYTES} of it. The type is checked
     * before opening because opening a FIFO blocks until something writes to it (a reload would
     * hang); the read is bounded because a size can lie: {@code /dev/zero} and {@code /proc}
     * files report 0 and never end or end late, and a file can grow after the check. (A path
     * swapped for a FIFO between the check and the open can still block the open; that takes
     * write access to the page's directory, which could replace the page anyway.)
     */
    private static byte[] readPage(Path file) {
        String name = "maintenance.page " + file + ": ";
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new PageLoadException(name + (attributes.isDirectory() ? "is a directory"
                        : "is not a regular file (a device, FIFO or socket)") + "; give the path of an HTML file", null);
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_PAGE_BYTES + 1);
            }
            if (bytes.length > MAX_PAGE_BYTES) {
                throw new PageLoadException(name + "is larger than the " + MAX_PAGE_BYTES
                        + " bytes (1 MiB) a maintenance page may have", null);
            }
            return bytes;
        } catch (IOException e) {
            throw new PageLoadException(name + "cannot read (" + e + ")", e);
        }
    }
}
