package io.maintd.proxy;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.function.BooleanSupplier;

/**
 * Encodes responses to the client. A response to HEAD has a head that describes a body it does
 * not carry (RFC 9110 section 9.3.2), so its framing headers must not make the encoder expect
 * or end one. It asks the {@link RequestRouter} whether the exchange in progress answers HEAD,
 * which is the exchange being written, since the next request is read only after it completes.
 */
final class ClientResponseEncoder extends HttpResponseEncoder {
    private final BooleanSupplier answeringHead;

    ClientResponseEncoder(BooleanSupplier answeringHead) {
        this.answeringHead = answeringHead;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return super.isContentAlwaysEmpty(msg)
                || (msg.status().codeClass() != HttpStatusClass.INFORMATIONAL && answeringHead.getAsBoolean());
    }
}
