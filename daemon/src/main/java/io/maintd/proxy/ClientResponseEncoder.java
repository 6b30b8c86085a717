package io.maintd.proxy;

import io.maintd.proxy.http.RequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * Encodes responses to the client. A response to HEAD has a head that describes a body it does
 * not carry (RFC 9110 section 9.3.2), so its framing headers must not make the encoder expect
 * or end one: it asks the decoder which method the response answers, which is right because
 * the decoder reads the next request only after this response completed.
 */
final class ClientResponseEncoder extends HttpResponseEncoder {
    private final RequestDecoder requests;

    ClientResponseEncoder(RequestDecoder requests) {
        this.requests = requests;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return super.isContentAlwaysEmpty(msg)
                || (msg.status().codeClass() != HttpStatusClass.INFORMATIONAL && requests.method().equals("HEAD"));
    }
}
