package io.maintd.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The chunked grammar alone, fed whole and a byte at a time; the decoders' own tests cover how they hand bytes on. */
class ChunkedBodyTest {
    private static final String NEXT = "GET /next HTTP/1.1\r\n\r\n";

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    /** Reads elements from {@code from} while whole ones are there: the index reached, or -1 when the framing broke. */
    private static int read(ChunkedBody body, ByteBuf buf, int from) {
        int at = from;
        while (!body.done()) {
            int next = body.next(buf, at);
            if (next == ChunkedBody.MALFORMED) {
                return -1;
            }
            if (next == at) {
                break;
            }
            at = next;
        }
        return at;
    }

    /** Feeds {@code body} one byte more at a time, as a trickling client would: -1 if it broke, else where it stopped. */
    private static int trickled(ChunkedBody body, String text) {
        ByteBuf all = bytes(text);
        ByteBuf seen = Unpooled.buffer();
        int at = 0;
        for (int i = 0; i < all.readableBytes() && !body.done(); i++) {
            seen.writeByte(all.getByte(i));
            at = read(body, seen, at);
            if (at < 0) {
                return -1;
            }
        }
        return at;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0\r\n\r\n",
        "5\r\nhello\r\n0\r\n\r\n",
        "A\r\n0123456789\r\n0\r\n\r\n",
        "a\r\n0123456789\r\n000\r\n\r\n",
        "5;name\r\nhello\r\n0\r\n\r\n",
        "5 ; name = value\r\nhello\r\n0\r\n\r\n",
        "5;a=\"quoted ; \\\" value\";b\r\nhello\r\n0\r\n\r\n",
        "5\r\nhello\r\n0\r\nChecksum: abc\r\nX-Other:\r\n\r\n",
        "fffff\r\n",
    })
    void wellFramedBodiesEndWhereTheyEnd(String body) {
        ChunkedBody chunked = new ChunkedBody(64, 256);
        ByteBuf buf = bytes(body + NEXT);
        int end = read(chunked, buf, 0);
        if (body.startsWith("fffff")) {
            assertFalse(chunked.done(), "a chunk larger than what arrived is not done");
            assertEquals(buf.readableBytes(), end);
        } else {
            assertTrue(chunked.done(), body);
            assertEquals(body.length(), end, "everything up to the end of the body, nothing of the next request");
            ChunkedBody slow = new ChunkedBody(64, 256);
            assertEquals(body.length(), trickled(slow, body), "the same body a byte at a time");
            assertTrue(slow.done());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\r\n",
        "g\r\n",
        "-5\r\nhello\r\n0\r\n\r\n",
        "0x5\r\nhello\r\n0\r\n\r\n",
        "1000000000000000\r\n",
        "5\nhello\r\n0\r\n\r\n",
        "5\r\nhello\n0\r\n\r\n",
        "5\r\nhelloXY0\r\n\r\n",
        "5\r\nhello\r\n0\r\n\n",
        "5\rhello\r\n0\r\n\r\n",
        "5;\r\nhello\r\n0\r\n\r\n",
        "5;=v\r\nhello\r\n0\r\n\r\n",
        "5;a=\r\nhello\r\n0\r\n\r\n",
        "5;a=\"open\r\nhello\r\n0\r\n\r\n",
        "5;a=b c\r\nhello\r\n0\r\n\r\n",
        "5,a\r\nhello\r\n0\r\n\r\n",
        "5;a\u0000\r\nhello\r\n0\r\n\r\n",
        "5\r\nhello\r\n0\r\nBad Name: x\r\n\r\n",
        "5\r\nhello\r\n0\r\n folded\r\n\r\n",
        "5\r\nhello\r\n0\r\nX: a\u0001b\r\n\r\n",
        "5\r\nhello\r\n0\r\nNoColon\r\n\r\n",
        "5;aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\nhello\r\n0\r\n\r\n",
        "0\r\nX: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
            + "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
            + "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\r\n\r\n",
    })
    void brokenFramingIsRefusedWhetherItArrivesAtOnceOrTrickles(String body) {
        assertEquals(-1, read(new ChunkedBody(64, 256), bytes(body), 0), body);
        assertEquals(-1, trickled(new ChunkedBody(64, 256), body), "a byte at a time: " + body);
    }

    @Test
    void anIncompleteLineWaitsForMoreBytes() {
        assertEquals(0, read(new ChunkedBody(64, 256), bytes("5;na"), 0));
        assertEquals(0, read(new ChunkedBody(64, 256), bytes("5\r"), 0));
    }

    @Test
    void resetStartsANewBody() {
        ChunkedBody chunked = new ChunkedBody(64, 256);
        read(chunked, bytes("0\r\n\r\n"), 0);
        assertTrue(chunked.done());
        chunked.reset();
        assertFalse(chunked.done());
        assertEquals(3, read(chunked, bytes("1\r\n"), 0));
    }
}
