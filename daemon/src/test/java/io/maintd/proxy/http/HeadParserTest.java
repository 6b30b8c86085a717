package io.maintd.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.maintd.proxy.http.HeadParser.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The head index's grammar: what it refuses, what it accepts, and where it finds the parts. */
class HeadParserTest {
    private static final HeadParser PARSER = new HeadParser(4096, 8192);
    private static final String GET = "GET / HTTP/1.1\r\n";
    private static final String POST = "POST /p HTTP/1.1\r\nHost: x\r\n";

    private static ByteBuf bytes(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Stream<Arguments> requestHeads() {
        return Stream.of(
                arguments("plain", GET + "Host: x\r\n\r\n", Outcome.COMPLETE),
                arguments("empty lines before the request line", "\r\n\r\n" + GET + "Host: x\r\n\r\n", Outcome.COMPLETE),
                arguments("OWS around a value", GET + "Host: \t x \t\r\n\r\n", Outcome.COMPLETE),
                arguments("obs-text in a value", GET + "X-A: caf\u00e9\r\n\r\n", Outcome.COMPLETE),
                arguments("empty value", GET + "X-A:\r\n\r\n", Outcome.COMPLETE),
                arguments("not all there yet", GET + "Host: x\r\n", Outcome.INCOMPLETE),
                arguments("a CR at the very end", GET + "Host: x\r", Outcome.INCOMPLETE),
                arguments("half a request line", "GET / HT", Outcome.INCOMPLETE),
                arguments("bare LF ending the request line", "GET / HTTP/1.1\nHost: x\r\n\r\n", Outcome.MALFORMED),
                arguments("bare LF ending a field", GET + "Host: x\n\r\n", Outcome.MALFORMED),
                arguments("bare CR inside a value", GET + "X-A: a\rb\r\n\r\n", Outcome.MALFORMED),
                arguments("obs-fold", GET + "X-A: a\r\n b\r\n\r\n", Outcome.MALFORMED),
                arguments("obs-fold with a tab", GET + "X-A: a\r\n\tb\r\n\r\n", Outcome.MALFORMED),
                arguments("NUL in a value", GET + "X-A: a\u0000b\r\n\r\n", Outcome.MALFORMED),
                arguments("DEL in a value", GET + "X-A: a\u007fb\r\n\r\n", Outcome.MALFORMED),
                arguments("control character in a value", GET + "X-A: a\u0001b\r\n\r\n", Outcome.MALFORMED),
                arguments("space before the colon", GET + "Host : x\r\n\r\n", Outcome.MALFORMED),
                arguments("space inside a name", GET + "X A: b\r\n\r\n", Outcome.MALFORMED),
                arguments("empty name", GET + ": b\r\n\r\n", Outcome.MALFORMED),
                arguments("no colon", GET + "nocolon\r\n\r\n", Outcome.MALFORMED),
                arguments("separator in a name", GET + "X(A): b\r\n\r\n", Outcome.MALFORMED),
                arguments("byte above 0x7f in a name", GET + "X-\u00e9: b\r\n\r\n", Outcome.MALFORMED),
                arguments("two spaces after the method", "GET  / HTTP/1.1\r\n\r\n", Outcome.MALFORMED),
                arguments("tab after the method", "GET\t/ HTTP/1.1\r\n\r\n", Outcome.MALFORMED),
                arguments("no version", "GET /\r\n\r\n", Outcome.MALFORMED),
                arguments("space after the version", "GET / HTTP/1.1 \r\n\r\n", Outcome.MALFORMED),
                arguments("separator in the method", "GE(T / HTTP/1.1\r\n\r\n", Outcome.MALFORMED),
                arguments("empty method", " / HTTP/1.1\r\n\r\n", Outcome.MALFORMED),
                arguments("NUL in the target", "GET /a\u0000 HTTP/1.1\r\n\r\n", Outcome.BAD_TARGET),
                arguments("byte above 0x7f in the target", "GET /caf\u00e9 HTTP/1.1\r\n\r\n", Outcome.BAD_TARGET),
                arguments("version in lower case", "GET / http/1.1\r\n\r\n", Outcome.MALFORMED),
                arguments("version with two digits", "GET / HTTP/1.10\r\n\r\n", Outcome.MALFORMED),
                arguments("version with junk", "GET / HTTP/1.1x\r\n\r\n", Outcome.MALFORMED),
                arguments("junk line", "hello\r\n\r\n", Outcome.MALFORMED),
                arguments("HTTP/2.0", "GET / HTTP/2.0\r\n\r\n", Outcome.VERSION_NOT_SUPPORTED),
                arguments("HTTP/1.2", "GET / HTTP/1.2\r\n\r\n", Outcome.VERSION_NOT_SUPPORTED),
                arguments("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", Outcome.VERSION_NOT_SUPPORTED),
                arguments("request line over the limit", "GET /" + "a".repeat(5000) + " HTTP/1.1\r\n\r\n", Outcome.LINE_TOO_LONG),
                arguments("request line over the limit, unfinished", "GET /" + "a".repeat(5000), Outcome.LINE_TOO_LONG),
                arguments("one field over the limit", GET + "X-A: " + "a".repeat(9000) + "\r\n\r\n", Outcome.HEADERS_TOO_LARGE),
                arguments("fields over the limit, unfinished", GET + "X-A: a\r\n".repeat(1100), Outcome.HEADERS_TOO_LARGE),
                arguments("fields just under the limit", GET + "X-A: " + "a".repeat(8000) + "\r\n\r\n", Outcome.COMPLETE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestHeads")
    void requestHeadParsesAsTheTableSays(String name, String head, Outcome outcome) {
        assertEquals(outcome, PARSER.parseRequest(bytes(head), new HeadIndex()));
    }

    static Stream<Arguments> requestFramings() {
        return Stream.of(
                arguments("no body", POST + "\r\n", 0L),
                arguments("Content-Length", POST + "Content-Length: 3\r\n\r\n", 3L),
                arguments("Content-Length with OWS", POST + "Content-Length:  3 \r\n\r\n", 3L),
                arguments("chunked", POST + "Transfer-Encoding: chunked\r\n\r\n", BodyFraming.CHUNKED),
                arguments("chunked in capitals", POST + "transfer-encoding: CHUNKED\r\n\r\n", BodyFraming.CHUNKED),
                arguments("Content-Length and chunked", POST + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", BodyFraming.MALFORMED),
                arguments("chunked and Content-Length", POST + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", BodyFraming.MALFORMED),
                arguments("two different Content-Length", POST + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n", BodyFraming.MALFORMED),
                arguments("two equal Content-Length", POST + "Content-Length: 3\r\nContent-Length: 3\r\n\r\n", BodyFraming.MALFORMED),
                arguments("Content-Length list", POST + "Content-Length: 3, 3\r\n\r\n", BodyFraming.MALFORMED),
                arguments("Content-Length with a sign", POST + "Content-Length: +3\r\n\r\n", BodyFraming.MALFORMED),
                arguments("negative Content-Length", POST + "Content-Length: -1\r\n\r\n", BodyFraming.MALFORMED),
                arguments("Content-Length in hex", POST + "Content-Length: 0x3\r\n\r\n", BodyFraming.MALFORMED),
                arguments("empty Content-Length", POST + "Content-Length:\r\n\r\n", BodyFraming.MALFORMED),
                arguments("Content-Length of 20 digits", POST + "Content-Length: 99999999999999999999\r\n\r\n", BodyFraming.MALFORMED),
                arguments("gzip without chunked", POST + "Transfer-Encoding: gzip\r\n\r\n", BodyFraming.MALFORMED),
                arguments("gzip, chunked", POST + "Transfer-Encoding: gzip, chunked\r\n\r\n", BodyFraming.MALFORMED),
                arguments("chunked, gzip", POST + "Transfer-Encoding: chunked, gzip\r\n\r\n", BodyFraming.MALFORMED),
                arguments("chunked twice", POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", BodyFraming.MALFORMED),
                arguments("xchunked", POST + "Transfer-Encoding: xchunked\r\n\r\n", BodyFraming.MALFORMED),
                arguments("chunked with a parameter", POST + "Transfer-Encoding: chunked;q=1\r\n\r\n", BodyFraming.MALFORMED),
                arguments("chunked on HTTP/1.0", "POST /p HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", BodyFraming.MALFORMED),
                arguments("Transfer_Encoding is another field", POST + "Transfer_Encoding: chunked\r\n\r\n", 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestFramings")
    void requestBodyIsFramedAsTheTableSays(String name, String head, long framing) {
        ByteBuf buf = bytes(head);
        HeadIndex index = new HeadIndex();
        assertEquals(Outcome.COMPLETE, PARSER.parseRequest(buf, index));
        assertEquals(framing, BodyFraming.ofRequest(index));
    }

    static Stream<Arguments> responseHeads() {
        String ok = "HTTP/1.1 200 OK\r\n";
        return Stream.of(
                arguments("plain", ok + "Content-Length: 2\r\n\r\n", Outcome.COMPLETE, 2L),
                arguments("no reason phrase", "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\n", Outcome.COMPLETE, 2L),
                arguments("empty reason phrase", "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\n", Outcome.COMPLETE, 2L),
                arguments("HTTP/1.0 without a length", "HTTP/1.0 200 OK\r\n\r\n", Outcome.COMPLETE, BodyFraming.UNTIL_CLOSE),
                arguments("chunked", ok + "Transfer-Encoding: chunked\r\n\r\n", Outcome.COMPLETE, BodyFraming.CHUNKED),
                arguments("gzip, chunked", ok + "Transfer-Encoding: gzip, chunked\r\n\r\n", Outcome.COMPLETE, BodyFraming.CHUNKED),
                arguments("gzip alone runs to the close", ok + "Transfer-Encoding: gzip\r\n\r\n", Outcome.COMPLETE, BodyFraming.UNTIL_CLOSE),
                arguments("204 has no body", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", Outcome.COMPLETE, 0L),
                arguments("100 has no body", "HTTP/1.1 100 Continue\r\n\r\n", Outcome.COMPLETE, 0L),
                arguments("Content-Length and chunked", ok + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
                        Outcome.COMPLETE, BodyFraming.MALFORMED),
                arguments("two different Content-Length", ok + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n",
                        Outcome.COMPLETE, BodyFraming.MALFORMED),
                arguments("status with letters", "HTTP/1.1 2OO OK\r\n\r\n", Outcome.MALFORMED, null),
                arguments("status of four digits", "HTTP/1.1 2000 OK\r\n\r\n", Outcome.MALFORMED, null),
                arguments("status of two digits", "HTTP/1.1 20 OK\r\n\r\n", Outcome.MALFORMED, null),
                arguments("status below 100", "HTTP/1.1 099 OK\r\n\r\n", Outcome.MALFORMED, null),
                arguments("HTTP/2.0", "HTTP/2.0 200 OK\r\n\r\n", Outcome.MALFORMED, null),
                arguments("junk", "hello\r\n\r\n", Outcome.MALFORMED, null),
                arguments("space inside a name", ok + "X A: b\r\n\r\n", Outcome.MALFORMED, null),
                arguments("obs-fold", ok + "X-A: a\r\n b\r\n\r\n", Outcome.MALFORMED, null),
                arguments("NUL in a value", ok + "X-A: a\u0000b\r\n\r\n", Outcome.MALFORMED, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responseHeads")
    void responseHeadParsesAndFramesAsTheTableSays(String name, String head, Outcome outcome, Long framing) {
        ByteBuf buf = bytes(head);
        HeadIndex index = new HeadIndex();
        assertEquals(outcome, PARSER.parseResponse(buf, index));
        if (framing != null) {
            assertEquals(framing, BodyFraming.ofResponse(index, false));
        }
    }

    @Test
    void indexPointsAtThePartsWhereTheyLie() {
        String head = "\r\nPOST /a?b=1 HTTP/1.0\r\nHost:  x.example \r\nX-Empty:\r\ncontent-LENGTH: 12\r\n\r\nbody";
        ByteBuf buf = bytes(head);
        HeadIndex index = new HeadIndex();
        assertEquals(Outcome.COMPLETE, PARSER.parseRequest(buf, index));
        assertEquals("POST", part(buf, index.firstStart(), index.firstEnd()));
        assertEquals("/a?b=1", part(buf, index.secondStart(), index.secondEnd()));
        assertEquals(10, index.version());
        assertEquals(3, index.fieldCount());
        assertEquals("Host", part(buf, index.nameStart(0), index.nameEnd(0)));
        assertEquals("x.example", index.value(0));
        assertEquals("", index.value(1));
        assertEquals(2, index.find(io.netty.util.AsciiString.cached("content-length"), 0));
        assertEquals("Host:  x.example \r\n", part(buf, index.nameStart(0), index.lineEnd(0)));
        assertEquals("content-LENGTH: 12\r\n", part(buf, index.nameStart(2), index.lineEnd(2)));
        assertEquals("body", part(buf, index.end(), buf.writerIndex()));
    }

    /** Offsets are buffer indexes, wherever the head starts (here after the previous request's bytes). */
    @Test
    void offsetsAreBufferIndexesWhereverTheHeadStarts() {
        ByteBuf buf = bytes("previous bytes|GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
        buf.readerIndex(15);
        HeadIndex index = new HeadIndex();
        assertEquals(Outcome.COMPLETE, PARSER.parseRequest(buf, index));
        assertEquals("/x", part(buf, index.secondStart(), index.secondEnd()));
        assertEquals("x", index.value(0));
        assertEquals('H', index.byteAt(index.nameStart(0)));
        assertEquals(buf.writerIndex(), index.end());
    }

    /** Every prefix of a valid head is INCOMPLETE, never an error: bytes may arrive one at a time. */
    @Test
    void everyPrefixOfAValidHeadIsIncomplete() {
        String head = "GET /x HTTP/1.1\r\nHost: x\r\nX-A: a b\r\n\r\n";
        for (int length = 0; length < head.length(); length++) {
            assertEquals(Outcome.INCOMPLETE, PARSER.parseRequest(bytes(head.substring(0, length)), new HeadIndex()),
                    "after " + length + " bytes");
        }
        assertEquals(Outcome.COMPLETE, PARSER.parseRequest(bytes(head), new HeadIndex()));
    }

    private static String part(ByteBuf buf, int from, int to) {
        return buf.toString(from, to - from, StandardCharsets.ISO_8859_1);
    }
}
