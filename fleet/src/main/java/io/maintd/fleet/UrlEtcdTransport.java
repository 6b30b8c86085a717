package io.maintd.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway over {@link HttpURLConnection}, blocking, for flagctl: it is in {@code java.base},
 * so the CLI carries no Netty, and it starts far faster than the JDK's {@code java.net.http}
 * client, which initialises TLS and its own threads before the first plain-HTTP request
 * (docs/decisions.md). Connections are kept alive per endpoint by the JDK. A call completes
 * before {@link #post} returns. Every answer is read only up to a limit, so a wrong server cannot
 * make flagctl hold an endless body.
 */
public final class UrlEtcdTransport implements EtcdTransport {
    private final int timeoutMillis;
    private final int maxBodyBytes;

    /** @param timeout for connecting and for each read of the answer */
    public UrlEtcdTransport(Duration timeout, int maxBodyBytes) {
        this.timeoutMillis = (int) timeout.toMillis();
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public CompletableFuture<Reply> post(URI endpoint, String path, String body) {
        try {
            return CompletableFuture.completedFuture(call(endpoint, path, body));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Reply call(URI endpoint, String path, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) endpoint.resolve(path).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setConnectTimeout(timeoutMillis);
        c.setReadTimeout(timeoutMillis);
        c.setInstanceFollowRedirects(false);
        c.setRequestProperty("Content-Type", "application/json");
        c.setDoOutput(true);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        // Streaming mode also means the JDK never sends a POST again when the connection fails
        // before the answer (it does so by default, even on a fresh connection): a txn sent twice
        // could write its fleet-log entry twice. EtcdClient's failover decides instead.
        c.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = c.getOutputStream()) {
            out.write(bytes);
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        if (in == null) {
            return new Reply(status, "");
        }
        try (in) {
            byte[] answer = in.readNBytes(maxBodyBytes + 1);
            if (answer.length > maxBodyBytes) {
                c.disconnect();
                throw new IOException(endpoint + path + " answered more than " + maxBodyBytes + " bytes");
            }
            return new Reply(status, Utf8.strict(answer));
        }
    }

    @Override
    public void close() {
        // The JDK's keep-alive cache closes idle connections itself; nothing is held here.
    }
}
