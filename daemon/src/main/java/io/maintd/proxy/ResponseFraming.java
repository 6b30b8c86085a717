package io.maintd.proxy;

import io.maintd.proxy.http.BodyFraming;
import io.maintd.proxy.http.ForwardedResponseHead;
import io.maintd.proxy.http.ForwardedResponseHead.BodyEdit;
import io.maintd.proxy.http.HeadIndex;
import io.maintd.proxy.http.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

/**
 * What a response head means for the exchange: whether the proxy accepts it, which
 * {@link RelayPhase} it starts, and how its body is framed for the client. Writes the head for
 * the client ({@link ForwardedResponseHead}: hop-by-hop fields, Via, Connection, framing) and
 * keeps the facts the relay needs afterwards: the status, the time to the head, and how both
 * connections end.
 */
final class ResponseFraming {
    private static final AsciiString TRANSFER_ENCODING = AsciiString.cached("transfer-encoding");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");
    private static final AsciiString CHUNKED = AsciiString.cached("chunked");

    private boolean upgrade;
    private int status;
    /** Time from sending the request to the response head; 0 until the head arrives. */
    private long headNanos;
    private boolean upstreamKeepAlive;
    /** The client's response body ends where its connection closes (an HTTP/1.0 client, no length). */
    private boolean clientCloseDelimited;
    /** The body came delimited by the close and goes chunked to the client: the relay frames each piece. */
    private boolean chunkForClient;

    /** {@code upgrade}: the request asked to switch protocols, so a 101 may answer it. */
    void begin(boolean upgrade) {
        this.upgrade = upgrade;
        status = 0;
        headNanos = 0;
        upstreamKeepAlive = false;
        clientCloseDelimited = false;
        chunkForClient = false;
    }

    /**
     * Null when the head may go to the client, else why it must not. The status line's grammar
     * (HTTP/1.0 or 1.1, three digits) the parser has checked already.
     */
    String refusal(ResponseHead head) {
        if (!upgrade && head.status() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            return "101 Switching Protocols to a request that did not ask to upgrade";
        }
        return null;
    }

    /**
     * Writes an accepted head for the client into {@code out} and says which phase it starts.
     * {@code announcementName}: a field to add (the maintenance announcement), or null.
     */
    RelayPhase onHead(ResponseHead head, Exchange exchange, long sentNanos, CharSequence announcementName,
                      CharSequence announcement, ByteBuf out) {
        int code = head.status();
        HeadIndex index = head.index();
        if (upgrade && code == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            started(code, sentNanos);
            ForwardedResponseHead.write(index, true, BodyEdit.NONE, null, announcementName, announcement, out);
            return RelayPhase.SWITCHING;
        }
        if (code < 200) {
            ForwardedResponseHead.write(index, false, BodyEdit.NONE, null, announcementName, announcement, out);
            return RelayPhase.INTERIM;
        }
        started(code, sentNanos);
        upstreamKeepAlive = index.keepsAlive() && head.framing() != BodyFraming.UNTIL_CLOSE;
        BodyEdit edit = frameForClient(head, exchange);
        ForwardedResponseHead.write(index, false, edit,
                ClientConnectionHeader.value(exchange.clientVersion(), exchange.keepAlive()), announcementName, announcement, out);
        return RelayPhase.RESPONDING;
    }

    private void started(int code, long sentNanos) {
        status = code;
        headNanos = System.nanoTime() - sentNanos;
    }

    /**
     * Makes the body's framing one the client understands. A close-delimited body is chunked
     * for an HTTP/1.1 client so its connection can stay open; an HTTP/1.0 client cannot take
     * chunks, so it gets the payload alone and the connection closes after it.
     */
    private BodyEdit frameForClient(ResponseHead head, Exchange exchange) {
        int code = head.status();
        boolean bodyless = exchange.isHead() || code == 204 || code == 304;
        long framing = head.framing();
        if (exchange.clientVersion().isKeepAliveDefault()) {
            if (!bodyless && framing == BodyFraming.UNTIL_CLOSE) {
                chunkForClient = true;
                return BodyEdit.CHUNK;
            }
            return BodyEdit.NONE;
        }
        HeadIndex index = head.index();
        if (framing == BodyFraming.CHUNKED || (bodyless && index.listContains(TRANSFER_ENCODING, CHUNKED))) {
            exchange.closeAfterResponse();
            clientCloseDelimited = !bodyless;
            return BodyEdit.UNCHUNK;
        }
        if (!bodyless && index.find(CONTENT_LENGTH, 0) < 0) {
            exchange.closeAfterResponse();
            clientCloseDelimited = true;
        }
        return BodyEdit.NONE;
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

    /** Each body piece goes to the client as a chunk of its own, and a last chunk ends it. */
    boolean chunkForClient() {
        return chunkForClient;
    }
}
