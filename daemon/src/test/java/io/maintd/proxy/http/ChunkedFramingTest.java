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

class ChunkedFramingTest {
    private static final String NEXT = "GET /next HTTP/1.1\r\n\r\n";

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    /** Feeds {@code body} one byte more at a time, as a trickling client would, and returns the framing. */
    private static ChunkedFraming trickled(String body) {
        ChunkedFraming framing = new ChunkedFraming(64, 256);
        ByteBuf all = bytes(body);
        ByteBuf seen = Unpooled.buffer();
        for (int i = 0; i < all.readableBytes() && !framing.done() && !framing.malformed(); i++) {
            seen.writeByte(all.getByte(i));
            seen.skipBytes(framing.advance(seen));
        }
        return framing;
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
        ChunkedFraming framing = new ChunkedFraming(64, 256);
        ByteBuf buf = bytes(body + NEXT);
        int n = framing.advance(buf);
        assertFalse(framing.malformed(), body);
        if (body.startsWith("fffff")) {
            assertFalse(framing.done(), "a chunk larger than what arrived is not done");
            assertEquals(buf.readableBytes(), n);
        } else {
            assertTrue(framing.done(), body);
            assertEquals(body.length(), n, "everything up to the end of the body, nothing of the next request");
            assertTrue(trickled(body).done(), "the same body a byte at a time");
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
        ChunkedFraming framing = new ChunkedFraming(64, 256);
        framing.advance(bytes(body));
        assertTrue(framing.malformed(), body);
        assertFalse(framing.done());
        assertTrue(trickled(body).malformed(), "a byte at a time: " + body);
    }

    @Test
    void acceptedBytesStopBeforeTheFault() {
        ChunkedFraming framing = new ChunkedFraming(64, 256);
        String good = "5\r\nhello\r\n";
        assertEquals(good.length(), framing.advance(bytes(good + "zz\r\n")));
        assertTrue(framing.malformed());
    }

    @Test
    void anIncompleteLineWaitsForMoreBytes() {
        ChunkedFraming framing = new ChunkedFraming(64, 256);
        assertEquals(0, framing.advance(bytes("5;na")));
        assertFalse(framing.malformed());
        assertEquals(0, framing.advance(bytes("5\r")));
        assertFalse(framing.malformed());
    }

    @Test
    void resetStartsANewBody() {
        ChunkedFraming framing = new ChunkedFraming(64, 256);
        framing.advance(bytes("0\r\n\r\n"));
        assertTrue(framing.done());
        framing.reset();
        assertFalse(framing.done());
        assertEquals(3, framing.advance(bytes("1\r\n")));
    }
}
