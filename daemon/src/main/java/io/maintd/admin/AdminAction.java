package io.maintd.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * One admin URL that changes something ({@code POST}). Called on the event loop with the whole
 * request, which is released when the call returns: it reads what it needs there and does any
 * blocking work (the audit log) elsewhere, completing with the response.
 */
@FunctionalInterface
public interface AdminAction {
    CompletionStage<FullHttpResponse> perform(FullHttpRequest request, InetSocketAddress client);
}
