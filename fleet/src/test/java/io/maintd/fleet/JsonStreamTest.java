package io.maintd.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonStreamTest {
    private static final String A = "{\"result\":{\"s\":\"}{\\\"\\\\\",\"é\":[1,{}]}}";
    private static final String B = "{\"result\":{}}";

    @Test
    void cutsMessagesHoweverTheBytesAreChunked() {
        byte[] wire = (A + "\n" + B + "\r\n  " + A).getBytes(StandardCharsets.UTF_8);
        for (int chunk = 1; chunk <= wire.length; chunk++) {
            JsonStream stream = new JsonStream(1024);
            List<String> out = new ArrayList<>();
            for (int at = 0; at < wire.length; at += chunk) {
                out.addAll(stream.feed(ByteBuffer.wrap(wire, at, Math.min(chunk, wire.length - at))));
            }
            assertEquals(List.of(A, B, A), out, "chunk " + chunk);
            assertFalse(stream.midMessage());
        }
    }

    @Test
    void aStreamCutInsideAMessageSaysSo() {
        JsonStream stream = new JsonStream(1024);
        assertEquals(List.of(), stream.feed(ByteBuffer.wrap("{\"result\":{".getBytes(StandardCharsets.UTF_8))));
        assertTrue(stream.midMessage());
    }

    @Test
    void anOversizeMessageFailsTheStream() {
        JsonStream stream = new JsonStream(64);
        byte[] big = ("{\"s\":\"" + "x".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertTrue(assertThrows(MalformedJsonException.class, () -> stream.feed(ByteBuffer.wrap(big)))
                .getMessage().contains("exceeds 64 bytes"));
    }

    @Test
    void somethingOtherThanAnObjectBetweenMessagesFailsTheStream() {
        assertThrows(MalformedJsonException.class, () -> new JsonStream(64).feed(ByteBuffer.wrap("[1]".getBytes(StandardCharsets.US_ASCII))));
        assertThrows(MalformedJsonException.class, () -> new JsonStream(64).feed(ByteBuffer.wrap("{}x".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void deepNestingAndBytesThatAreNotUtf8FailTheStream() {
        assertThrows(MalformedJsonException.class,
                () -> new JsonStream(1 << 20).feed(ByteBuffer.wrap("{".repeat(1000).getBytes(StandardCharsets.US_ASCII))));
        byte[] latin1 = {'{', '"', (byte) 0xe9, '"', ':', '1', '}'};
        assertThrows(MalformedJsonException.class, () -> new JsonStream(64).feed(ByteBuffer.wrap(latin1)));
    }
}
