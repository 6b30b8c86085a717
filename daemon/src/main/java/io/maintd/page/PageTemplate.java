package io.maintd.page;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/** The built-in HTML pages: one small self-contained template, no external assets. */
final class PageTemplate {
    private PageTemplate() {
    }

    static byte[] render(String title, String message) {
        String html = """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%1$s</title>
                <style>
                  body { margin: 0; min-height: 100vh; display: grid; place-items: center;
                         font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
                         color: #1f2933; background: #f5f7fa; }
                  main { max-width: 32rem; padding: 2rem; }
                  h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
                  p { margin: 0; color: #52606d; }
                </style>
                </head>
                <body>
                <main>
                <h1>%1$s</h1>
                <p>%2$s</p>
                </main>
                </body>
                </html>
                """.formatted(title, message);
        return html.getBytes(StandardCharsets.UTF_8);
    }

    static String explain(HttpResponseStatus status) {
        return switch (status.code()) {
            case 400 -> "The request could not be understood.";
            case 408 -> "The request did not arrive in time. Please try again.";
            case 414 -> "The request line is longer than this server accepts.";
            case 431 -> "The request headers are larger than this server accepts.";
            case 501 -> "This proxy does not open CONNECT tunnels.";
            case 502 -> "The service behind this proxy could not be reached.";
            case 503 -> "No server of this service is available right now. Please try again shortly.";
            case 504 -> "The service behind this proxy did not answer in time.";
            case 505 -> "This server speaks HTTP/1.0 and HTTP/1.1 only (HTTP/2 is not offered in plain text here).";
            default -> status.reasonPhrase();
        };
    }
}
