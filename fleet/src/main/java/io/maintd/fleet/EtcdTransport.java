package io.maintd.fleet;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Carries one unary gateway call: {@code POST endpoint+path} with a JSON body, the whole answer
 * back. flagctl's is {@link UrlEtcdTransport}; the daemon brings one on its own Netty event loops.
 */
public interface EtcdTransport extends AutoCloseable {
    /** An answer: the HTTP status and the body. */
    record Reply(int status, String body) {
    }

    /**
     * Completes with the reply, or exceptionally when the endpoint could not be reached or did
     * not answer in time (the client then tries the next endpoint).
     */
    CompletableFuture<Reply> post(URI endpoint, String path, String body);

    @Override
    void close();
}
