package io.maintd.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * Rewrites request heads as they go upstream (RFC 9110 section 7.6): hop-by-hop headers
 * stay on their hop, the upstream learns who the client was ({@code X-Forwarded-For},
 * {@code X-Forwarded-Proto}) and sees the proxy in {@code Via}. Response heads are written from
 * their bytes by {@code io.maintd.proxy.http.ForwardedResponseHead} with the same edits.
 *
 * <p>{@code Transfer-Encoding} is hop-by-hop too, but the codecs own it: the decoder turns
 * chunks into content messages and the encoder chunks again when the header says so. Framing
 * headers are never removed because a {@code Connection} header names them, which would let a
 * client change how the next hop frames the body.
 */
final class ForwardedHeaders {
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    /** Netty deprecates its constant because HTTP/2 forbids the header; on HTTP/1.1 it is hop-by-hop. */
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    // Values as AsciiString: the encoder copies their bytes instead of encoding a String per request.
    private static final AsciiString VIA = AsciiString.cached("1.1 maintd");
    private static final AsciiString HTTP = AsciiString.cached("http");

    private ForwardedHeaders() {
    }

    /** True for a request asking to switch protocols (WebSocket), which is tunnelled after a 101. */
    static boolean isUpgrade(HttpRequest request) {
        HttpHeaders headers = request.headers();
        return headers.contains(HttpHeaderNames.UPGRADE)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    static void prepareRequest(HttpRequest request, String clientIp, boolean upgrade) {
        HttpHeaders headers = request.headers();
        removeHopByHop(headers, upgrade);
        // Most requests carry no X-Forwarded-For: look before building a list of them.
        headers.set(X_FORWARDED_FOR, headers.contains(X_FORWARDED_FOR)
                ? String.join(", ", headers.getAll(X_FORWARDED_FOR)) + ", " + clientIp : clientIp);
        // A load balancer in front that terminated TLS has already said https; keep its word.
        if (!headers.contains(X_FORWARDED_PROTO)) {
            headers.set(X_FORWARDED_PROTO, HTTP);
        }
        appendVia(headers);
        // The upstream hop is always HTTP/1.1 with keep-alive, whatever the client spoke.
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    private static void removeHopByHop(HttpHeaders headers, boolean upgrade) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String token : connection.split(",")) {
                    String name = token.trim();
                    if (!name.isEmpty() && !isFraming(name) && !(upgrade && name.equalsIgnoreCase("upgrade"))) {
                        headers.remove(name);
                    }
                }
            }
            headers.remove(HttpHeaderNames.CONNECTION);
        }
        headers.remove(KEEP_ALIVE);
        headers.remove(PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.PROXY_AUTHENTICATE);
        headers.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        headers.remove(HttpHeaderNames.TE);
        headers.remove(HttpHeaderNames.TRAILER);
        if (upgrade) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        } else {
            headers.remove(HttpHeaderNames.UPGRADE);
        }
    }

    private static boolean isFraming(String name) {
        return HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.HOST.contentEqualsIgnoreCase(name);
    }

    /** Every Via line already there is kept, in order: each names a hop (RFC 9110 section 7.6.3). */
    private static void appendVia(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.VIA)) {
            headers.set(HttpHeaderNames.VIA, String.join(", ", headers.getAll(HttpHeaderNames.VIA)) + ", " + VIA);
        } else {
            headers.set(HttpHeaderNames.VIA, VIA);
        }
    }
}
