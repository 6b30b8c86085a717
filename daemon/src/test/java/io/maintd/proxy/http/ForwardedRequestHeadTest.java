package io.maintd.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The edits the writer makes beyond those {@code ForwardingDifferentialTest} compares with
 * today's proxy: a resolved target and Host, and a protocol upgrade.
 */
class ForwardedRequestHeadTest {
    private static String forward(String request, String target, String host, boolean upgrade) {
        ByteBuf in = Unpooled.wrappedBuffer(request.getBytes(StandardCharsets.ISO_8859_1));
        HeadIndex index = new HeadIndex();
        assertEquals(HeadParser.Outcome.COMPLETE, new HeadParser(4096, 8192).parseRequest(in, index));
        ByteBuf out = Unpooled.buffer();
        ForwardedRequestHead.write(index, target, host, "192.0.2.7", upgrade, out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void resolvedTargetAndHostReplaceTheOriginals() {
        assertEquals("GET /x HTTP/1.1\r\nhost: www.example.com\r\nAccept: */*\r\n"
                        + "x-forwarded-for: 192.0.2.7\r\nx-forwarded-proto: http\r\nvia: 1.1 maintd\r\n\r\n",
                forward("GET http://www.example.com/x HTTP/1.0\r\nHost: other\r\nAccept: */*\r\n\r\n", "/x",
                        "www.example.com", false));
    }

    @Test
    void upgradeKeepsUpgradeAndSaysSoInConnection() {
        assertEquals("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nSec-WebSocket-Key: k\r\nconnection: upgrade\r\n"
                        + "x-forwarded-for: 192.0.2.7\r\nx-forwarded-proto: http\r\nvia: 1.1 maintd\r\n\r\n",
                forward("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: k\r\n\r\n",
                        null, null, true));
    }

    @Test
    void connectionCannotNameAwayTheFramingOrHost() {
        assertEquals("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                        + "x-forwarded-for: 192.0.2.7\r\nx-forwarded-proto: http\r\nvia: 1.1 maintd\r\n\r\n",
                forward("POST / HTTP/1.1\r\nHost: x\r\nConnection: host, content-length, X-A\r\nContent-Length: 0\r\nX-a: 1\r\n\r\n",
                        null, null, false));
    }
}
