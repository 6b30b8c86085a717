package io.maintd.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway over the JDK's HTTP client: what flagctl uses, so the CLI carries no Netty. HTTP/1.1
 * (etcd's gateway speaks no h2c), one connection kept alive per endpoint by the client, and every
 * answer read only up to a limit so a wrong server cannot make flagctl hold an endless body.
 */
public final class JdkEtcdTransport implements EtcdTransport {
    private final HttpClient client;
    private final Duration timeout;
    private final int maxBodyBytes;

    /** @param timeout for connecting and for the whole answer, each */
    public JdkEtcdTransport(Duration timeout, int maxBodyBytes) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public CompletableFuture<Reply> post(URI endpoint, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(response -> new Reply(response.statusCode(), readBounded(response.body(), endpoint + path)));
    }

    private String readBounded(InputStream in, String where) {
        try (in) {
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw new EtcdException(where, 200, 0, "an answer larger than " + maxBodyBytes + " bytes");
            }
            return Utf8.strict(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        // The JDK 17 client has no close; its threads are daemons and end with the process.
    }
}
