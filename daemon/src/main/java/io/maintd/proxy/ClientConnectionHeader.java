package io.maintd.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * The Connection header of a response to the client, which says whether the connection stays
 * open: on the proxy's own pages and on forwarded heads alike (which is also how every response
 * says {@code Connection: close} while the proxy drains).
 */
final class ClientConnectionHeader {
    private ClientConnectionHeader() {
    }

    /**
     * HTTP/1.1 keeps alive by default; an HTTP/1.0 client needs to be told explicitly. Null when
     * the response needs no Connection header.
     */
    static AsciiString value(HttpVersion clientVersion, boolean keepAlive) {
        if (!keepAlive) {
            return HttpHeaderValues.CLOSE;
        }
        return clientVersion.isKeepAliveDefault() ? null : HttpHeaderValues.KEEP_ALIVE;
    }

    static void apply(HttpResponse response, HttpVersion clientVersion, boolean keepAlive) {
        AsciiString value = value(clientVersion, keepAlive);
        if (value == null) {
            response.headers().remove(HttpHeaderNames.CONNECTION);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, value);
        }
    }
}
