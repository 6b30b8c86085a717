package io.maintd.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Reads an upstream connection's responses without decoding them into header maps: each head
 * is parsed once into a {@link HeadIndex} ({@link HeadParser#parseResponse}) and handed on as a
 * {@link ResponseHead} with its own bytes, and the body follows as {@link ResponseBody} pieces
 * of the bytes as they came, delimited as {@link BodyFraming#ofResponse} says: a Content-Length
 * counted, chunked framing checked as it streams ({@link ChunkedBody}), or up to the close.
 * Anything malformed becomes one {@link MalformedResponse}, after which nothing more is read.
 *
 * <p>It is also the connection's flow control ({@link OnDemandDecoder}): one message per
 * {@code read()}, decoded only then. So a head is parsed only after the relay dealt with the
 * message before it, and one {@link HeadIndex} serves every head on the connection.
 *
 * <p>The decoder cannot know from the response alone whether it answers a HEAD request, nor
 * whether the client wants the chunked framing or only the payload: the relay says so with
 * {@link #expect} before each request goes up. After a 101 it stops decoding, so the bytes that
 * follow stay buffered for the tunnel that replaces it.
 */
public final class ResponseDecoder extends OnDemandDecoder {
    private enum State { HEAD, LENGTH, CHUNKED, UNTIL_CLOSE, SWITCHED, FAILED }

    /** Bytes that hold most response heads whole (a few cookies and caching fields). */
    private static final int FIRST_LOOK = 2048;

    private final HeadParser parser;
    private final ChunkedBody chunked;
    private final int maxPiece;
    private final int maxLine;
    private final int maxFields;
    private final HeadIndex index = new HeadIndex();
    /** What one pass over the bytes made and is not handed on yet: a chunked body's pieces, or good bytes then the fault. */
    private final ArrayDeque<Object> decoded = new ArrayDeque<>(4);
    private State state = State.HEAD;
    private long remaining;
    /** Bytes of a chunked body past the reader index that have been read but not handed on. */
    private int held;
    private boolean toHead;
    private boolean payloadOnly;
    /** The server closed: once the bytes kept are decoded, what the close means is decoded too. */
    private boolean closed;
    private boolean closeDecoded;

    /**
     * @param maxLine   the longest status line and chunk-size line
     * @param maxFields the largest header or trailer section
     * @param maxPiece  the largest body piece handed on at once
     */
    public ResponseDecoder(int maxLine, int maxFields, int maxPiece) {
        this.parser = new HeadParser(maxLine, maxFields);
        this.chunked = new ChunkedBody(maxLine, maxFields);
        this.maxPiece = maxPiece;
        this.maxLine = maxLine;
        this.maxFields = maxFields;
    }

    /**
     * The next responses answer a HEAD request ({@code toHead}: no body whatever they say), and
     * a chunked body is to be handed on without its framing ({@code payloadOnly}: for a client
     * that cannot take chunks).
     */
    public void expect(boolean toHead, boolean payloadOnly) {
        this.toHead = toHead;
        this.payloadOnly = payloadOnly;
    }

    @Override
    boolean decoding() {
        return state != State.FAILED;
    }

    @Override
    Object next() {
        while (decoded.isEmpty() && buffered != null && buffered.isReadable() && state != State.SWITCHED
                && state != State.FAILED) {
            int before = buffered.readerIndex();
            decode(buffered);
            if (decoded.isEmpty() && buffered.readerIndex() == before) {
                break;
            }
        }
        if (decoded.isEmpty() && closed && !closeDecoded) {
            closeDecoded = true;
            decodeLast(buffered == null ? Unpooled.EMPTY_BUFFER : buffered);
        }
        return decoded.poll();
    }

    private void decode(ByteBuf in) {
        switch (state) {
            case HEAD -> decodeHead(in, decoded);
            case LENGTH -> {
                int length = (int) Math.min(remaining, Math.min(in.readableBytes(), maxPiece));
                if (length > 0) {
                    remaining -= length;
                    decoded.add(new ResponseBody(in.readRetainedSlice(length), length, remaining == 0));
                    if (remaining == 0) {
                        state = State.HEAD;
                    }
                }
            }
            case CHUNKED -> decodeChunked(in, decoded);
            case UNTIL_CLOSE -> {
                int length = Math.min(in.readableBytes(), maxPiece);
                if (length > 0) {
                    decoded.add(new ResponseBody(in.readRetainedSlice(length), length, false));
                }
            }
            default -> {
                // SWITCHED: the bytes belong to the tunnel. FAILED: nothing more is read.
            }
        }
    }

    private void decodeHead(ByteBuf in, ArrayDeque<Object> out) {
        // Views whose reader index is 0, so the index's offsets are valid on the slice taken below.
        // The parser copies what it is given up to the head's limit, so it first gets the
        // bytes a typical head fits in, not a body that came along with it.
        int readable = in.readableBytes();
        HeadParser.Outcome outcome = parser.parseResponse(in.slice(in.readerIndex(), Math.min(readable, FIRST_LOOK)), index);
        if (outcome == HeadParser.Outcome.INCOMPLETE && readable > FIRST_LOOK) {
            outcome = parser.parseResponse(in.slice(), index);
        }
        switch (outcome) {
            case INCOMPLETE -> {
                return;
            }
            case COMPLETE -> {
            }
            case LINE_TOO_LONG -> {
                fail(in, out, "a status line over " + maxLine + " bytes");
                return;
            }
            case HEADERS_TOO_LARGE -> {
                fail(in, out, "a response head over " + maxFields + " bytes");
                return;
            }
            default -> {
                fail(in, out, "a malformed response head");
                return;
            }
        }
        long framing = BodyFraming.ofResponse(index, toHead);
        if (framing == BodyFraming.MALFORMED) {
            fail(in, out, "a response head that frames its body ambiguously");
            return;
        }
        int status = index.status();
        // The index stays valid until the relay asks for the next message, which it does after writing the head.
        out.add(new ResponseHead(in.readRetainedSlice(index.end()), index, status, framing));
        if (status == 101) {
            state = State.SWITCHED;
        } else if (framing == BodyFraming.CHUNKED) {
            chunked.reset();
            held = 0;
            state = State.CHUNKED;
        } else if (framing == BodyFraming.UNTIL_CLOSE) {
            state = State.UNTIL_CLOSE;
        } else if (framing > 0) {
            remaining = framing;
            state = State.LENGTH;
        }
    }

    /**
     * Hands on what the bytes so far hold of a chunked body: as one piece of the wire bytes, or
     * for {@code payloadOnly} one piece per run of chunk data, the framing skipped. Malformed
     * framing stops the body at the last whole chunk these bytes brought (a read that ends
     * inside a chunk hands on what it has, so a large chunk streams). The last chunk and the
     * trailers are held back ({@link #held} bytes already read past the reader index) until the
     * empty line that ends them, so a body cut short or malformed there never reaches the client
     * looking complete.
     */
    private void decodeChunked(ByteBuf in, ArrayDeque<Object> out) {
        int from = in.readerIndex();
        int at = from + held;
        int handOn = from;
        long payload = 0;
        while (!chunked.done() && at - from < maxPiece) {
            int next = chunked.next(in, at);
            if (next == ChunkedBody.MALFORMED) {
                handOn(in, out, from, handOn, payload, false);
                fail(in, out, "a malformed chunked body");
                return;
            }
            if (next == at) {
                break;
            }
            if (chunked.wasData()) {
                payload += next - at;
                if (payloadOnly) {
                    in.readerIndex(at);
                    out.add(new ResponseBody(in.readRetainedSlice(next - at), next - at, false));
                }
            }
            at = next;
            if (chunked.atChunkBoundary()) {
                handOn = at;
            }
        }
        if (!chunked.inTrailers()) {
            handOn = at;
        }
        handOn(in, out, from, handOn, payload, chunked.done());
        held = at - handOn;
        if (chunked.done()) {
            state = State.HEAD;
        }
    }

    /** Hands on the body's bytes from {@code from} to {@code to} (for {@code payloadOnly}, only the end). */
    private void handOn(ByteBuf in, ArrayDeque<Object> out, int from, int to, long payload, boolean last) {
        if (payloadOnly) {
            in.readerIndex(Math.max(in.readerIndex(), to));
            if (last) {
                out.add(new ResponseBody(Unpooled.EMPTY_BUFFER, 0, true));
            }
        } else if (to > from || last) {
            in.readerIndex(from);
            out.add(new ResponseBody(in.readRetainedSlice(to - from), payload, last));
        }
    }

    private void fail(ByteBuf in, ArrayDeque<Object> out, String what) {
        in.skipBytes(in.readableBytes());
        state = State.FAILED;
        out.add(new MalformedResponse(what));
    }

    /** The server closed: that ends a body delimited by the close, and cuts anything else short. */
    private void decodeLast(ByteBuf in) {
        if (state == State.UNTIL_CLOSE) {
            int length = in.readableBytes();
            if (length > 0) {
                decoded.add(new ResponseBody(in.readRetainedSlice(length), length, false));
            }
            state = State.HEAD;
            decoded.add(new ResponseBody(Unpooled.EMPTY_BUFFER, 0, true));
        } else if (state == State.HEAD && in.isReadable()) {
            fail(in, decoded, "a response head cut short by the close");
        }
    }

    /** What the kept bytes and the close make is handed on, all of it ({@link #deliverAll}), then the close. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        deliverAll(ctx);
        Object rest;
        while ((rest = decoded.poll()) != null) {
            ReferenceCountUtil.release(rest);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        Object rest;
        while ((rest = decoded.poll()) != null) {
            ReferenceCountUtil.release(rest);
        }
        super.handlerRemoved(ctx);
    }
}
