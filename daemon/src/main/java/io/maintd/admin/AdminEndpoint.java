package io.maintd.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.net.InetSocketAddress;

/** One admin URL. Runs on an event loop: it must answer from memory, without blocking. */
@FunctionalInterface
public interface AdminEndpoint {
    FullHttpResponse respond(FullHttpRequest request);

    /** What the admin server calls; an endpoint that cares who asks (a health check) overrides it. */
    default FullHttpResponse respond(FullHttpRequest request, InetSocketAddress client) {
        return respond(request);
    }
}
