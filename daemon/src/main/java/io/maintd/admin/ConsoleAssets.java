package io.maintd.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The admin page's three files, {@code /} (HTML), {@code /console.css} and {@code /console.js},
 * read from the jar once at start and served from memory: no CDN, no build step, nothing the
 * page loads comes from anywhere but this port. Every answer forbids what the page never needs
 * (a strict Content-Security-Policy: scripts, styles and fetches from this origin only, no
 * inline script; no framing, against clickjacking of the action buttons; no sniffing; no
 * referrer).
 */
public final class ConsoleAssets implements AdminEndpoint {
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final String contentType;
    private final String text;

    private ConsoleAssets(String contentType, String text) {
        this.contentType = contentType;
        this.text = text;
    }

    public static ConsoleAssets html() {
        return new ConsoleAssets("text/html; charset=utf-8", read("index.html"));
    }

    public static ConsoleAssets css() {
        return new ConsoleAssets("text/css; charset=utf-8", read("console.css"));
    }

    public static ConsoleAssets script() {
        return new ConsoleAssets("text/javascript; charset=utf-8", read("console.js"));
    }

    @Override
    public FullHttpResponse respond(FullHttpRequest request) {
        FullHttpResponse response = TextResponse.of(HttpResponseStatus.OK, contentType, text);
        HttpHeaders headers = response.headers();
        headers.set("Content-Security-Policy", CSP);
        headers.set("X-Frame-Options", "DENY");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        return response;
    }

    private static String read(String name) {
        String resource = "console/" + name;
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("io/maintd/admin/" + resource + " is missing from the maintd jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading io/maintd/admin/" + resource + " from the maintd jar", e);
        }
    }
}
