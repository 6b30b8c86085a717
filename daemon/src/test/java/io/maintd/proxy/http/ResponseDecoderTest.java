package io.maintd.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The upstream response decoder: heads handed on with their bytes, bodies as the wire bytes
 * with their end found, and a chunked body's framing checked strictly as it streams. Every
 * case runs twice, the bytes in one piece and one byte at a time (a slow server).
 */
class ResponseDecoderTest {
    private static final String CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final int MAX_LINE = 4096;
    private static final int MAX_FIELDS = 8192;

    /** How the body ended for the decoder. */
    enum End { COMPLETE, MALFORMED, CUT_SHORT }

    static Stream<Arguments> chunkedBodies() {
        return Stream.of(
                arguments("one chunk", "2\r\nok\r\n0\r\n\r\n", End.COMPLETE),
                arguments("no chunk but the last", "0\r\n\r\n", End.COMPLETE),
                arguments("hex in upper and lower case", "A\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n", End.COMPLETE),
                arguments("leading zeros", "002\r\nok\r\n000\r\n\r\n", End.COMPLETE),
                arguments("fifteen hex digits", "000000000000002\r\nok\r\n0\r\n\r\n", End.COMPLETE),
                arguments("an extension", "2;name=value\r\nok\r\n0\r\n\r\n", End.COMPLETE),
                arguments("an extension without a value", "2;name\r\nok\r\n0;last\r\n\r\n", End.COMPLETE),
                arguments("extensions with whitespace around", "2 ; a = b ;\tc\r\nok\r\n0\r\n\r\n", End.COMPLETE),
                arguments("a quoted extension value", "2;a=\"x y;\\\"z\"\r\nok\r\n0\r\n\r\n", End.COMPLETE),
                arguments("trailer fields", "2\r\nok\r\n0\r\nX-Checksum: abc\r\nX-B:\r\n\r\n", End.COMPLETE),

                arguments("size in letters", "ZZ\r\nxx\r\n0\r\n\r\n", End.MALFORMED),
                arguments("empty size", "\r\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("negative size", "-2\r\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("0x before the size", "0x2\r\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("sixteen hex digits", "0000000000000002\r\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("size that overflows a long", "fffffffffffffffffff\r\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("size line over the limit", "2;a=" + "b".repeat(MAX_LINE) + "\r\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("size line over the limit, no end in sight", "2;a=" + "b".repeat(MAX_LINE + 10), End.MALFORMED),
                arguments("bare LF after the size", "2\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("bare CR after the size", "2\rok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("bare LF after the data", "2\r\nok\n0\r\n\r\n", End.MALFORMED),
                arguments("data longer than its size", "2\r\nokXX\r\n0\r\n\r\n", End.MALFORMED),
                arguments("whitespace after the size alone", "2 \r\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("extension without a name", "2;\r\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("extension with an empty value", "2;a=\r\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("extension name with a separator", "2;(a)\r\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("extension value of two words", "2;a=b c\r\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("extension after a comma", "2,a\r\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("unterminated quoted value", "2;a=\"xy\r\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("NUL in a quoted value", "2;a=\"x\u0000\"\r\nok\r\n0\r\n\r\n", End.MALFORMED),
                arguments("trailer without a colon", "0\r\nnocolon\r\n\r\n", End.MALFORMED),
                arguments("trailer name with a space", "0\r\nX T: v\r\n\r\n", End.MALFORMED),
                arguments("trailer folded", "0\r\nX-T: v\r\n w\r\n\r\n", End.MALFORMED),
                arguments("NUL in a trailer value", "0\r\nX-T: a\u0000b\r\n\r\n", End.MALFORMED),
                arguments("bare LF after a trailer", "0\r\nX-T: v\n\r\n", End.MALFORMED),
                arguments("trailers over the limit", "0\r\nX-T: " + "v".repeat(MAX_FIELDS) + "\r\n\r\n", End.MALFORMED),

                arguments("closed after a chunk", "2\r\nok\r\n", End.CUT_SHORT),
                arguments("closed inside a chunk", "5\r\nok", End.CUT_SHORT),
                arguments("closed inside a size line", "2;a=b", End.CUT_SHORT),
                arguments("closed before the trailers end", "2\r\nok\r\n0\r\nX-T: v\r\n", End.CUT_SHORT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunkedBodies")
    void chunkedBodyInOnePiece(String name, String body, End end) {
        Decoded decoded = decode(false, false, bytes(CHUNKED + body));
        assertChunked(body, end, decoded);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunkedBodies")
    void chunkedBodyOneByteAtATime(String name, String body, End end) {
        byte[] all = (CHUNKED + body).getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf[] pieces = new ByteBuf[all.length];
        for (int i = 0; i < all.length; i++) {
            pieces[i] = Unpooled.wrappedBuffer(new byte[] {all[i]});
        }
        assertChunked(body, end, decode(false, false, pieces));
    }

    private static void assertChunked(String body, End end, Decoded decoded) {
        assertEquals(200, decoded.heads.get(0).status());
        assertEquals(BodyFraming.CHUNKED, decoded.heads.get(0).framing());
        assertEquals(end, decoded.end, decoded.toString());
        if (end == End.COMPLETE) {
            assertEquals(body, decoded.body, "the body goes on as it came");
        } else {
            assertTrue(body.startsWith(decoded.body), "only bytes read as valid go on: " + decoded.body);
        }
    }

    @Test
    void chunkedBodyForAClientThatCannotTakeChunksIsItsPayloadAlone() {
        Decoded decoded = decode(false, true, bytes(CHUNKED + "2;x=y\r\nok\r\n3\r\n!!!\r\n0\r\nX-T: v\r\n\r\n"));
        assertEquals(End.COMPLETE, decoded.end);
        assertEquals("ok!!!", decoded.body);
        assertEquals(5, decoded.payloadBytes);
    }

    @Test
    void chunkedBodyCountsItsPayloadNotItsFraming() {
        assertEquals(5, decode(false, false, bytes(CHUNKED + "2\r\nok\r\n3\r\n!!!\r\n0\r\n\r\n")).payloadBytes);
    }

    @Test
    void contentLengthIsCountedAndTheNextResponseFollows() {
        Decoded decoded = decode(false, false, bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                + "HTTP/1.1 204 No Content\r\n\r\n"));
        assertEquals(List.of(200, 204), decoded.statuses());
        assertEquals("ok", decoded.body);
    }

    @Test
    void responseToHeadHasNoBodyWhateverItSays() {
        Decoded decoded = decode(true, false, bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assertEquals(List.of(200, 200), decoded.statuses());
        assertEquals(0, decoded.heads.get(0).framing());
        assertEquals("", decoded.body);
        assertNull(decoded.malformed);
    }

    @Test
    void bodyWithoutFramingEndsAtTheClose() {
        Decoded decoded = decode(false, false, bytes("HTTP/1.1 200 OK\r\n\r\nuntil the close"));
        assertEquals(End.COMPLETE, decoded.end);
        assertEquals("until the close", decoded.body);
    }

    @Test
    void interimHeadsComeBeforeTheFinalOne() {
        Decoded decoded = decode(false, false, bytes("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        assertEquals(List.of(103, 200), decoded.statuses());
        assertEquals("ok", decoded.body);
    }

    /**
     * With auto-read off, as the proxy runs it, one message per read: a final head that came in
     * the same bytes as a 103 is parsed only when asked for, into the index the 103 used.
     */
    @Test
    void oneMessagePerReadAndOneIndexForEveryHead() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(false, false, new ResponseDecoder(MAX_LINE, MAX_FIELDS, 8192));
        channel.config().setAutoRead(false);
        channel.register();
        channel.writeInbound(bytes("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        assertNull(channel.readInbound(), "nothing is decoded before a read");
        channel.read();
        ResponseHead interim = channel.readInbound();
        assertEquals(103, interim.status());
        assertEquals("</a>", interim.index().value(0));
        interim.release();
        assertNull(channel.readInbound(), "the final head waits for its read");
        channel.read();
        ResponseHead last = channel.readInbound();
        assertEquals(200, last.status());
        assertSame(interim.index(), last.index());
        assertEquals(103, interim.status(), "a head keeps its status when the index moves on");
        last.release();
        channel.read();
        ResponseBody body = channel.readInbound();
        assertTrue(body.last());
        assertEquals("ok", body.content().toString(StandardCharsets.ISO_8859_1));
        body.release();
        assertFalse(channel.finish());
    }

    @Test
    void headKeepsItsBytesWithOffsetsValidOnThem() {
        String head = "HTTP/1.1 200 OK\r\nX-A: b\r\nContent-Length: 0\r\n\r\n";
        Decoded decoded = decode(false, false, bytes(head));
        ResponseHead first = decoded.heads.get(0);
        assertEquals(head, decoded.headBytes.get(0));
        assertTrue(first.index().nameIs(0, io.netty.util.AsciiString.of("x-a")));
        assertEquals("b", first.index().value(0));
    }

    @Test
    void bytesAfterA101StayForTheTunnel() {
        EmbeddedChannel channel = new EmbeddedChannel(new ResponseDecoder(MAX_LINE, MAX_FIELDS, 8192));
        channel.writeInbound(bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\nframe"));
        ResponseHead head = channel.readInbound();
        assertEquals(101, head.status());
        head.release();
        assertNull(channel.readInbound(), "the tunnel's bytes are not decoded");
        channel.pipeline().removeFirst();
        ByteBuf rest = channel.readInbound();
        assertEquals("frame", rest.toString(StandardCharsets.ISO_8859_1));
        rest.release();
        assertFalse(channel.finish());
    }

    @Test
    void headLongerThanTypicalIsReadWholeWithTheBodyAfterIt() {
        String head = "HTTP/1.1 200 OK\r\nSet-Cookie: " + "c".repeat(5000) + "\r\nContent-Length: 2\r\n\r\n";
        Decoded decoded = decode(false, false, bytes(head + "ok" + "x".repeat(10_000)));
        assertEquals(head, decoded.headBytes.get(0));
        assertEquals("ok", decoded.body);
    }

    @Test
    void headOverTheLimitIsMalformed() {
        Decoded decoded = decode(false, false, bytes("HTTP/1.1 200 OK\r\nSet-Cookie: " + "c".repeat(MAX_FIELDS)
                + "\r\nContent-Length: 2\r\n\r\nok"));
        assertTrue(decoded.heads.isEmpty());
        assertEquals(End.MALFORMED, decoded.end);
    }

    @Test
    void headCutShortByTheCloseIsMalformed() {
        Decoded decoded = decode(false, false, bytes("HTTP/1.1 200 OK\r\nX-A"));
        assertTrue(decoded.heads.isEmpty());
        assertEquals(End.MALFORMED, decoded.end);
    }

    @Test
    void ambiguousFramingIsMalformed() {
        Decoded decoded = decode(false, false, bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assertTrue(decoded.heads.isEmpty());
        assertEquals(End.MALFORMED, decoded.end);
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** What the decoder handed on for the bytes, then for the connection closing. */
    private static Decoded decode(boolean toHead, boolean payloadOnly, ByteBuf... pieces) {
        ResponseDecoder decoder = new ResponseDecoder(MAX_LINE, MAX_FIELDS, 8192);
        decoder.expect(toHead, payloadOnly);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        Decoded decoded = new Decoded();
        for (ByteBuf piece : pieces) {
            channel.writeInbound(piece);
            decoded.take(channel);
        }
        channel.finish();
        decoded.take(channel);
        return decoded;
    }

    private static final class Decoded {
        final List<ResponseHead> heads = new ArrayList<>();
        final List<String> headBytes = new ArrayList<>();
        String body = "";
        long payloadBytes;
        End end = End.CUT_SHORT;
        String malformed;

        void take(EmbeddedChannel channel) {
            for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
                if (msg instanceof ResponseHead head) {
                    heads.add(head);
                    headBytes.add(head.content().toString(StandardCharsets.ISO_8859_1));
                    head.release();
                    end = head.framing() == 0 ? End.COMPLETE : End.CUT_SHORT;
                } else if (msg instanceof ResponseBody piece) {
                    assertFalse(end == End.MALFORMED, "nothing after the decoder found the bytes malformed");
                    body += piece.content().toString(StandardCharsets.ISO_8859_1);
                    payloadBytes += piece.payloadBytes();
                    end = piece.last() ? End.COMPLETE : End.CUT_SHORT;
                    piece.release();
                } else {
                    malformed = assertInstanceOf(MalformedResponse.class, msg).reason();
                    end = End.MALFORMED;
                }
            }
        }

        List<Integer> statuses() {
            return heads.stream().map(ResponseHead::status).toList();
        }

        @Override
        public String toString() {
            return "body " + body + ", malformed " + malformed;
        }
    }
}
