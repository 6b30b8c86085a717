package io.maintd.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;

/** The Connection header of a response to the client, which says whether the connection stays open. */
final class ClientConnectionHeader {
    private ClientConnectionHeader() {
    }

    /** HTTP/1.1 keeps alive by default; an HTTP/1.0 client needs to be told explicitly. */
    static void apply(HttpResponse response, HttpVersion clientVersion, boolean keepAlive) {
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientVersion.isKeepAliveDefault()) {
            response.headers().remove(HttpHeaderNames.CONNECTION);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }
}
