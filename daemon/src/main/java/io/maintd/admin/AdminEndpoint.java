package io.maintd.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

/** One admin URL. Runs on an event loop: it must answer from memory, without blocking. */
@FunctionalInterface
public interface AdminEndpoint {
    FullHttpResponse respond(FullHttpRequest request);
}
