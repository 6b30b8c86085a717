package io.maintd.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Why the proxy refused a request instead of forwarding it (or, for {@link #BODY}, stopped
 * forwarding it), with the status the client gets when no response has started. Metrics count
 * refusals by {@link #label()}; the connection always closes after a refusal, because what
 * follows a refused head on the wire cannot be trusted to be the next request.
 */
public enum RequestRejection {
    /** The codec could not parse the request line or headers. */
    MALFORMED(HttpResponseStatus.BAD_REQUEST, "malformed"),
    LINE_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG, "line-too-long"),
    HEADERS_TOO_LARGE(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers-too-large"),
    /** A version other than HTTP/1.0 and HTTP/1.1, including the HTTP/2 preface {@code PRI * HTTP/2.0}. */
    VERSION(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "version"),
    /** CONNECT: a reverse proxy opens no tunnels to hosts a client names. */
    METHOD(HttpResponseStatus.NOT_IMPLEMENTED, "method"),
    /** A request target with bytes or a form RFC 9112 does not allow, or a path that climbs above the root. */
    TARGET(HttpResponseStatus.BAD_REQUEST, "target"),
    /** No Host on HTTP/1.1, more than one, or one that is not a host[:port]. */
    HOST(HttpResponseStatus.BAD_REQUEST, "host"),
    /** The body failed to decode (a bad chunk size, extension or trailer). */
    BODY(HttpResponseStatus.BAD_REQUEST, "body");

    private final HttpResponseStatus status;
    private final String label;

    RequestRejection(HttpResponseStatus status, String label) {
        this.status = status;
        this.label = label;
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** The metric label: {@code malformed}, {@code target}, {@code host}, {@code body}, ... */
    public String label() {
        return label;
    }
}
