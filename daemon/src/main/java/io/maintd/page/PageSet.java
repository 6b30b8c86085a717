package io.maintd.page;

import io.maintd.config.MaintdConfig.MaintenanceConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Every response the proxy makes itself, rendered at load (start and reload): the
 * maintenance page (from {@code maintenance.page} or built in), the shed page, and the error
 * pages for the statuses the proxy generates. All share the {@link Page} machinery, so an
 * error answers JSON to a JSON client exactly like the maintenance page does.
 */
public final class PageSet {
    /** A maintenance page bigger than this is almost certainly the wrong file. */
    static final long MAX_PAGE_BYTES = 1 << 20;

    private static final HttpResponseStatus[] ERROR_STATUSES = {
        HttpResponseStatus.BAD_REQUEST,
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
                    ("{\"status\":\"error\",\"code\":" + error.code() + "}").getBytes(StandardCharsets.UTF_8)));
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
        return ("{\"status\":\"" + status + "\",\"retry_after\":" + retryAfter + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] readPage(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_PAGE_BYTES) {
                throw new PageLoadException("maintenance.page " + file + ": " + size + " bytes is more than the "
                        + MAX_PAGE_BYTES + " a maintenance page may have", null);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PageLoadException("maintenance.page " + file + ": cannot read (" + e + ")", e);
        }
    }
}
