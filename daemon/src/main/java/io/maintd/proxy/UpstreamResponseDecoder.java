package io.maintd.proxy;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * Decodes the upstream's responses. The request goes up as the client's own bytes
 * ({@link io.maintd.proxy.http.RequestHead#writeUpstream}), not through an encoder that could
 * remember its method, so the relay says when the response answers HEAD: such a response has
 * no body whatever its head says.
 */
final class UpstreamResponseDecoder extends HttpResponseDecoder {
    private boolean answersHead;

    UpstreamResponseDecoder(HttpDecoderConfig config) {
        super(config);
    }

    /** The next response answers a HEAD request (or not). */
    void expectResponseTo(boolean head) {
        answersHead = head;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        return super.isContentAlwaysEmpty(msg) || (answersHead
                && ((HttpResponse) msg).status().codeClass() != HttpStatusClass.INFORMATIONAL);
    }
}
