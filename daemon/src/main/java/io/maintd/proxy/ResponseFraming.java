package io.maintd.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * What a response head means for the exchange: whether the proxy accepts it, which
 * {@link RelayPhase} it starts, and how its body is framed for the client. Prepares the head
 * for the client (hop-by-hop headers, Via, Connection) and keeps the facts the relay needs
 * afterwards: the status, the time to the head, and how both connections end.
 */
final class ResponseFraming {
    private boolean upgrade;
    private int status;
    /** Time from sending the request to the response head; 0 until the head arrives. */
    private long headNanos;
    private boolean upstreamKeepAlive;
    /** The client's response body ends where its connection closes (an HTTP/1.0 client, no length). */
    private boolean clientCloseDelimited;

    /** {@code upgrade}: the request asked to switch protocols, so a 101 may answer it. */
    void begin(boolean upgrade) {
        this.upgrade = upgrade;
        status = 0;
        headNanos = 0;
        upstreamKeepAlive = false;
        clientCloseDelimited = false;
    }

    /** Null when the head may go to the client, else why it must not. */
    String refusal(HttpResponse response) {
        if (!isStatusLine(response)) {
            return "malformed status line " + response.protocolVersion().text() + " " + response.status().code();
        }
        if (!upgrade && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            return "101 Switching Protocols to a request that did not ask to upgrade";
        }
        return null;
    }

    /**
     * RFC 9112 section 4: HTTP/1.0 or HTTP/1.1 and a three-digit status. Netty's client decoder
     * takes any number for the status and any version, which the encoder would then pass on to
     * the client rewritten as HTTP/1.1 (issue 13's response table found both).
     */
    private static boolean isStatusLine(HttpResponse response) {
        HttpVersion version = response.protocolVersion();
        int code = response.status().code();
        return (version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0) && code >= 100 && code <= 999;
    }

    /** Prepares an accepted head for the client and says which phase it starts. */
    RelayPhase onHead(HttpResponse response, Exchange exchange, long sentNanos) {
        int code = response.status().code();
        if (upgrade && code == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            started(code, sentNanos);
            ForwardedHeaders.prepareResponse(response, true);
            return RelayPhase.SWITCHING;
        }
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            ForwardedHeaders.prepareResponse(response, false);
            return RelayPhase.INTERIM;
        }
        started(code, sentNanos);
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        ForwardedHeaders.prepareResponse(response, false);
        frameForClient(response, exchange);
        ClientConnectionHeader.apply(response, exchange.clientVersion(), exchange.keepAlive());
        return RelayPhase.RESPONDING;
    }

    private void started(int code, long sentNanos) {
        status = code;
        headNanos = System.nanoTime() - sentNanos;
    }

    /**
     * Makes the body's framing one the client understands. A close-delimited body is chunked
     * for an HTTP/1.1 client so its connection can stay open; an HTTP/1.0 client cannot take
     * chunks, so it gets the raw body and the connection closes after it.
     */
    private void frameForClient(HttpResponse response, Exchange exchange) {
        int code = response.status().code();
        boolean bodyless = exchange.isHead() || code == 204 || code == 304;
        boolean lengthKnown = HttpUtil.isContentLengthSet(response);
        if (exchange.clientVersion().isKeepAliveDefault()) {
            if (!bodyless && !lengthKnown && !HttpUtil.isTransferEncodingChunked(response)) {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        } else if (HttpUtil.isTransferEncodingChunked(response)) {
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            exchange.closeAfterResponse();
            clientCloseDelimited = !bodyless;
        } else if (!bodyless && !lengthKnown) {
            exchange.closeAfterResponse();
            clientCloseDelimited = true;
        }
    }

    int status() {
        return status;
    }

    long headNanos() {
        return headNanos;
    }

    /** The server will keep the connection after this response, so it may go back to the pool. */
    boolean upstreamKeepAlive() {
        return upstreamKeepAlive;
    }

    /** A cut-short body must reset the client connection, since a plain close would look like its end. */
    boolean clientCloseDelimited() {
        return clientCloseDelimited;
    }
}
