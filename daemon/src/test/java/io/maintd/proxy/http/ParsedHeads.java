package io.maintd.proxy.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;

/** Request heads as the proxy sees them: written out as bytes and read back by a {@link RequestDecoder}. */
public final class ParsedHeads {
    private ParsedHeads() {
    }

    /** {@code METHOD target HTTP/1.1} with the given name, value pairs as header lines. */
    public static RequestHead request(String method, String target, String... headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return parse(head.append("\r\n").toString());
    }

    public static RequestHead get(String target, String... headers) {
        return request("GET", target, headers);
    }

    /** The head of {@code bytes}, which must parse. */
    public static RequestHead parse(String bytes) {
        EmbeddedChannel channel = new EmbeddedChannel(new RequestDecoder(8192, 16384));
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
        RequestHead head = channel.readInbound();
        assertTrue(head != null && head.parsed(), bytes);
        channel.finishAndReleaseAll();
        return head;
    }
}
