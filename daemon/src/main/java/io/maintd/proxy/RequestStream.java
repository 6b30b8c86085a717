package io.maintd.proxy;

import io.maintd.proxy.http.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Streams one request up: the head as {@link RequestHead#writeUpstream} writes it from the
 * client's bytes, then the body piece by piece as it came on the wire (chunk framing included), reading the client only while
 * the upstream connection is writable, so a slow server stops the client instead of making the
 * proxy buffer the body. Knows how much of the request went up, which decides whether a failed
 * exchange may be retried and whether the client connection can be kept.
 */
final class RequestStream {
    /** Room for what forwarding adds: X-Forwarded-For, X-Forwarded-Proto and Via with their values. */
    private static final int FORWARDING_EDITS = 128;
    private final ChannelHandlerContext client;
    /** The request declared no body, so only an empty end-of-request can still be unread. */
    private boolean bodyless;
    private boolean complete;
    private boolean bodyForwarded;
    /** A client read was held back because the upstream was not writable. */
    private boolean clientReadWaiting;

    RequestStream(ChannelHandlerContext client) {
        this.client = client;
    }

    void begin(RequestHead request) {
        bodyless = request.framing() == 0;
        complete = false;
        bodyForwarded = false;
        clientReadWaiting = false;
    }

    boolean bodyless() {
        return bodyless;
    }

    /** The end of the request went up. */
    boolean complete() {
        return complete;
    }

    /** Some body bytes went up, so the request cannot be sent again. */
    boolean bodyForwarded() {
        return bodyForwarded;
    }

    /**
     * Sends the head on a connection, then asks the client for the body; on a retry, whose body
     * was already read, ends the request at once. True when the request is complete upstream.
     */
    boolean sendHead(Channel upstream, RequestHead request, String clientIp, boolean upgrade) {
        ByteBuf head = upstream.alloc().buffer(request.length() + FORWARDING_EDITS);
        request.writeUpstream(clientIp, upgrade, head);
        upstream.write(head).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        if (complete) {
            upstream.flush();
            return true;
        }
        // A body-less request's end follows at once (the decoder hands it on after the head), and
        // forward flushes it: one write to the socket per request instead of two.
        if (!bodyless) {
            upstream.flush();
        }
        client.read();
        return false;
    }

    /** Sends a body piece up (the caller checked that it decoded). True when it ended the request. */
    boolean forward(HttpContent content, Channel upstream) {
        boolean last = content instanceof LastHttpContent;
        if (content.content().isReadable()) {
            bodyForwarded = true;
        }
        // The piece's bytes are the client's own, chunk framing included: no encoder between.
        // An empty one (the end of a body-less request) only flushes the head: no write of nothing.
        if (content.content().isReadable()) {
            upstream.writeAndFlush(content.content()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        } else {
            content.release();
            upstream.flush();
        }
        if (last) {
            complete = true;
        } else if (upstream.isWritable()) {
            client.read();
        } else {
            clientReadWaiting = true;
        }
        return last;
    }

    void onUpstreamWritable(Channel upstream) {
        if (clientReadWaiting && upstream.isWritable()) {
            clientReadWaiting = false;
            client.read();
        }
    }
}
