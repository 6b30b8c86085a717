package io.maintd.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The decoder in a channel with auto-read off, as the proxy runs it: each {@link #next} is one
 * read asked for by the handlers after it.
 */
class RequestDecoderTest {
    private final AtomicInteger socketReads = new AtomicInteger();
    private final EmbeddedChannel channel = new EmbeddedChannel(false, false, new ChannelOutboundHandlerAdapter() {
        @Override
        public void read(ChannelHandlerContext ctx) {
            socketReads.incrementAndGet();
            ctx.read();
        }
    }, new RequestDecoder(64, 256));

    RequestDecoderTest() throws Exception {
        channel.config().setAutoRead(false);
        channel.register();
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void arrive(String text) {
        channel.pipeline().fireChannelRead(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    /** Asks for one message and returns it, or null when the decoder needs more bytes. */
    private Object next() {
        channel.read();
        return channel.readInbound();
    }

    private static String text(HttpContent content) {
        String text = content.content().toString(StandardCharsets.ISO_8859_1);
        content.release();
        return text;
    }

    @Test
    void pipelinedRequestsAreDecodedOneReadAtATime() {
        arrive("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        RequestHead a = (RequestHead) next();
        assertEquals("/a", a.target());
        assertEquals("x", a.host().toString());
        assertNull(channel.readInbound(), "nothing is decoded ahead of a read");
        assertEquals(LastHttpContent.EMPTY_LAST_CONTENT, next(), "a body-less request ends at once");
        assertEquals("/b", ((RequestHead) next()).target());
    }

    @Test
    void aHeadSplitAcrossReadsWaitsForItsEnd() {
        channel.read();
        arrive("GET /a HTTP/1.1\r\nHo");
        assertNull(channel.readInbound());
        int reads = socketReads.get();
        arrive("st: x\r\n\r\n");
        assertEquals("/a", ((RequestHead) channel.readInbound()).target());
        assertTrue(reads > 0, "the socket was asked for more");
    }

    /**
     * Between requests the socket is read without being asked (its read interest then need not
     * be switched off after each request and on again after its response), but only while less
     * than one largest head (64 + 256 bytes here) waits; within a request it is read on demand.
     */
    @Test
    void betweenRequestsTheSocketIsReadAheadUpToOneLargestHead() {
        arrive("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n01");
        assertInstanceOf(RequestHead.class, next());
        int reads = socketReads.get();
        assertEquals("01", text((HttpContent) next()));
        assertEquals(reads, socketReads.get(), "a body is read only when asked for");
        arrive("23");
        assertEquals("23", text((HttpContent) next()));
        assertEquals(reads + 1, socketReads.get(), "read ahead once the request ended, without being asked");
        arrive("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(reads + 2, socketReads.get(), "still read ahead while less than a largest head waits");
        arrive("X".repeat(300));
        assertEquals(reads + 2, socketReads.get(), "no read ahead once a largest head's worth waits");
        assertNull(channel.readInbound(), "nothing is decoded ahead of a read");
        assertEquals("/b", ((RequestHead) next()).target());
    }

    @Test
    void aContentLengthBodyIsCountedAndGoesAsItCame() {
        arrive("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123");
        assertInstanceOf(RequestHead.class, next());
        HttpContent first = (HttpContent) next();
        assertFalse(first instanceof LastHttpContent);
        assertEquals("0123", text(first));
        arrive("456789GET /b HTTP/1.1\r\n\r\n");
        HttpContent last = (HttpContent) next();
        assertInstanceOf(LastHttpContent.class, last);
        assertEquals("456789", text(last));
        assertEquals("/b", ((RequestHead) next()).target());
    }

    @Test
    void chunkFramingIsForwardedAsItCameAndEndsTheRequest() {
        String body = "5;ext=1\r\nhello\r\n0\r\nTrailer-Field: v\r\n\r\n";
        arrive("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body + "GET /b HTTP/1.1\r\n\r\n");
        assertInstanceOf(RequestHead.class, next());
        HttpContent piece = (HttpContent) next();
        assertInstanceOf(LastHttpContent.class, piece);
        assertEquals(body, text(piece));
        assertEquals("/b", ((RequestHead) next()).target());
    }

    @Test
    void brokenChunkFramingFailsAfterTheGoodBytesAndStopsDecoding() {
        arrive("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nGET /b HTTP/1.1\r\n\r\n");
        assertInstanceOf(RequestHead.class, next());
        HttpContent good = (HttpContent) next();
        assertEquals("5\r\nhello\r\n", text(good));
        HttpContent broken = (HttpContent) next();
        assertTrue(broken.decoderResult().isFailure());
        int reads = socketReads.get();
        assertNull(next(), "nothing after a broken body");
        assertEquals(reads, socketReads.get(), "nor is the socket read again");
    }

    @Test
    void aRefusedHeadStopsDecoding() {
        arrive("GET /a HTTP/1.1\r\nBad Name: x\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
        RequestHead refused = (RequestHead) next();
        assertEquals(HeadParser.Outcome.MALFORMED, refused.outcome());
        assertNull(next());
    }

    @Test
    void ambiguousFramingIsHandedOnForItsRefusalAndStopsDecoding() {
        arrive("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        RequestHead head = (RequestHead) next();
        assertEquals(BodyFraming.MALFORMED, head.framing());
        assertNull(next());
    }

    @Test
    void aHeadCutOffByTheEndOfInputIsHandedOnWithTheFieldsThatArrived() {
        channel.read();
        arrive("GET /a HTTP/1.1\r\nAccept: application/json\r\nX-Slow: a");
        assertNull(channel.readInbound());
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        RequestHead partial = (RequestHead) channel.readInbound();
        assertFalse(partial.parsed());
        assertEquals("application/json", partial.header(AsciiString.cached("accept")).toString());
    }

    @Test
    void aNewHeadWaitsWhileTheClientIsNotWritable() {
        arrive("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        channel.write(Unpooled.wrappedBuffer(new byte[64]));
        assertFalse(channel.isWritable());
        assertNull(next(), "not decoded while the client's answers are not read");
        channel.flush();
        assertTrue(channel.isWritable());
        assertEquals("/a", ((RequestHead) channel.readInbound()).target());
    }

    @Test
    void whatFollowsAnUpgradeHeadGoesToTheTunnelWhenTheDecoderIsRemoved() {
        arrive("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n\u0081\u0005hello");
        RequestHead head = (RequestHead) next();
        assertTrue(head.upgrade());
        assertEquals(LastHttpContent.EMPTY_LAST_CONTENT, next());
        channel.pipeline().remove(RequestDecoder.class);
        ByteBuf rest = channel.readInbound();
        assertEquals("\u0081\u0005hello", rest.toString(StandardCharsets.ISO_8859_1));
        rest.release();
    }
}
