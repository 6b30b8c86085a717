package io.maintd.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The client connection's request decoder and its flow control in one: hands on one message per
 * {@code read()} from the handlers after it, and decodes only then ({@link OnDemandDecoder}). A
 * {@link RequestHead} first, then the body as {@link HttpContent} pieces ending with a
 * {@link LastHttpContent} (an empty one at once for a request without a body).
 *
 * <p>Body pieces carry the bytes as they came on the wire, chunk framing included: the proxy
 * forwards them unchanged, and only counts a Content-Length body or follows the chunked
 * framing ({@link ChunkedBody}) to know where the request ends; the last chunk and its trailers
 * are handed on only once they are complete, so the server never gets an end the client did
 * not finish. A piece whose framing broke
 * has a failed {@link DecoderResult}, after the pieces that were still good; nothing is decoded
 * after it, nor after a refused head, since what follows cannot be trusted to be a request.
 *
 * <p>Decoding on demand is what keeps pipelined requests in order without a queue: the next
 * request's bytes wait in the buffer until the exchange before it completed and asked for it.
 * A new head is also not decoded while the connection is not writable, so a client that
 * pipelines without reading its responses stops being answered instead of making the proxy
 * buffer the answers.
 *
 * <p>Between requests the socket is read ahead of demand while fewer than {@code maxLine +
 * maxFields} bytes (one largest head) are kept, as nginx and HAProxy read into a buffer of
 * fixed size whatever the request's state: the socket's read interest then stays on from one
 * keep-alive request to the next instead of being switched off after each request and on
 * again after its response (two {@code epoll_ctl} calls per request), and a client that
 * pipelines stops being read once that much waits. Within a body the socket is read only on
 * demand, so the body timeout counts only the time the proxy waits for the client
 * ({@code BodyClock}).
 */
public final class RequestDecoder extends OnDemandDecoder {
    private enum State { HEAD, END_OF_BODYLESS, LENGTH, CHUNKED, STOPPED }

    private final HeadParser parser;
    private final HeadIndex index = new HeadIndex();
    private final ChunkedBody chunked;
    private final int readAhead;
    /** Bytes past the reader index that the chunked framing has read but not handed on: the last chunk and trailers. */
    private int heldBack;
    /** The chunked framing broke after the good bytes before it were handed on. */
    private boolean broken;
    private State state = State.HEAD;
    private long remaining;

    /**
     * @param maxLine      longest request line (414 beyond it) and longest chunk size line
     * @param maxFields    largest header section (431 beyond it) and largest trailer section
     */
    public RequestDecoder(int maxLine, int maxFields) {
        this.parser = new HeadParser(maxLine, maxFields);
        this.chunked = new ChunkedBody(maxLine, maxFields);
        this.readAhead = maxLine + maxFields;
    }

    @Override
    boolean decoding() {
        return state != State.STOPPED;
    }

    /** A new head waits while the client is not writable. */
    @Override
    boolean held(ChannelHandlerContext ctx) {
        return state == State.HEAD && !ctx.channel().isWritable();
    }

    @Override
    boolean readsAhead() {
        return state == State.HEAD && bufferedBytes() < readAhead;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.fireChannelWritabilityChanged();
        if (ctx.channel().isWritable()) {
            deliver(ctx);
        }
    }

    /** The next message the buffered bytes make, or null when more bytes are needed. */
    @Override
    Object next() {
        switch (state) {
            case HEAD -> {
                return nextHead();
            }
            case END_OF_BODYLESS -> {
                state = State.HEAD;
                return LastHttpContent.EMPTY_LAST_CONTENT;
            }
            case LENGTH -> {
                if (buffered == null || !buffered.isReadable()) {
                    return null;
                }
                int n = (int) Math.min(remaining, buffered.readableBytes());
                remaining -= n;
                ByteBuf piece = buffered.readRetainedSlice(n);
                if (remaining > 0) {
                    return new DefaultHttpContent(piece);
                }
                state = State.HEAD;
                return new DefaultLastHttpContent(piece);
            }
            case CHUNKED -> {
                return nextChunks();
            }
            default -> {
                return null;
            }
        }
    }

    private Object nextHead() {
        if (buffered == null || !buffered.isReadable()) {
            return null;
        }
        HeadParser.Outcome outcome = parser.parseRequest(buffered, index);
        if (outcome == HeadParser.Outcome.INCOMPLETE && !inputShut) {
            return null;
        }
        if (outcome != HeadParser.Outcome.COMPLETE) {
            // Once the request line was read, the index holds it and the field lines before the fault.
            return stop(index.version() != 0 ? RequestHead.refused(outcome, index) : RequestHead.failed(outcome));
        }
        buffered.readerIndex(index.end());
        RequestHead head = RequestHead.parsed(index);
        long framing = head.framing();
        if (framing == BodyFraming.MALFORMED) {
            return stop(head);
        }
        if (framing == BodyFraming.CHUNKED) {
            chunked.reset();
            heldBack = 0;
            broken = false;
            state = State.CHUNKED;
        } else if (framing == 0) {
            state = State.END_OF_BODYLESS;
        } else {
            remaining = framing;
            state = State.LENGTH;
        }
        return head;
    }

    private Object nextChunks() {
        if (!broken && (buffered == null || buffered.readableBytes() <= heldBack)) {
            return null;
        }
        int from = buffered == null ? 0 : buffered.readerIndex();
        int at = from + heldBack;
        int handOn = chunked.inTrailers() ? from : at;
        while (!broken && !chunked.done()) {
            int next = chunked.next(buffered, at);
            if (next == ChunkedBody.MALFORMED) {
                broken = true;
            } else if (next == at) {
                break;
            } else {
                at = next;
                if (!chunked.inTrailers()) {
                    handOn = at;
                }
            }
        }
        heldBack = at - handOn;
        if (handOn > from) {
            ByteBuf piece = buffered.readRetainedSlice(handOn - from);
            if (chunked.done()) {
                state = State.HEAD;
                return new DefaultLastHttpContent(piece);
            }
            return new DefaultHttpContent(piece);
        }
        if (!broken) {
            return null;
        }
        HttpContent failed = new DefaultHttpContent(Unpooled.EMPTY_BUFFER);
        failed.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("malformed chunked framing")));
        return stop(failed);
    }

    /** Hands on {@code last} and decodes nothing more on this connection. */
    private Object stop(Object last) {
        state = State.STOPPED;
        releaseBuffered();
        return last;
    }
}
