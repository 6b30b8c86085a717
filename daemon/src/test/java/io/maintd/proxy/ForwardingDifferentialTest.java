package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.maintd.proxy.http.ForwardedRequestHead;
import io.maintd.proxy.http.HeadIndex;
import io.maintd.proxy.http.HeadParser;
import io.maintd.testsupport.ScriptedBackend;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same 200 valid requests sent to a backend directly and through the proxy: what the backend
 * receives through the proxy is what it receives directly, request line, header lines and body
 * bytes, except for the documented edits (docs/config.md, "Headers"): hop-by-hop headers and
 * those named in Connection dropped, X-Forwarded-For and Via appended to and moved last,
 * X-Forwarded-Proto added when absent. Bodies, chunk framing included, arrive as sent. The
 * requests come from a seeded generator, so a failure
 * names a request that can be replayed.
 */
@Timeout(120)
class ForwardingDifferentialTest {
    private static final int REQUESTS = 200;
    private static final String CLIENT_IP = "127.0.0.1";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "upgrade", "proxy-authorization", "proxy-authenticate");
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "host");
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"};
    private static final String[] NAMES = {"User-Agent", "accept", "Accept-Language", "Cookie", "X-Request-Id",
        "authorization", "Cache-Control", "If-None-Match", "Referer", "x-custom", "X-Forwarded-For", "Via",
        "X-Forwarded-Proto", "Keep-Alive", "TE", "Proxy-Connection", "Upgrade", "X-Hop"};

    @TempDir
    Path dir;

    @Test
    void backendReceivesThroughTheProxyWhatItReceivesDirectlyExceptTheDocumentedEdits() throws Exception {
        List<String> requests = generate(new Random(13));
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend direct = ScriptedBackend.answeringEachRequest();
             ScriptedBackend proxied = ScriptedBackend.answeringEachRequest();
             ProxyFixture proxy = new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(proxied.address()), null,
                     TestConfigs.limits()))) {
            sendEach(direct.address().getPort(), requests);
            sendEach(proxy.port(), requests);
            List<Request> sent = Request.split(allReceived(direct));
            List<Request> forwarded = Request.split(allReceived(proxied));
            assertEquals(REQUESTS, sent.size());
            assertEquals(REQUESTS, forwarded.size());
            for (int i = 0; i < REQUESTS; i++) {
                Request expected = sent.get(i).withDocumentedEdits();
                Request actual = forwarded.get(i);
                String which = "request " + i + ":\n" + requests.get(i);
                assertEquals(expected.line, actual.line, which);
                assertEquals(String.join("\n", expected.headers), String.join("\n", actual.headers), which);
                assertEquals(expected.body, actual.body, which);
            }
        }
    }

    /**
     * The head index and its writer make, from the same 200 requests, the heads the proxy
     * forwards today: the pipeline can move onto them without the backend seeing a difference.
     */
    @Test
    void headIndexWritesTheHeadsTheProxyForwardsToday() throws Exception {
        HeadParser parser = new HeadParser(4096, 8192);
        HeadIndex index = new HeadIndex();
        for (String request : generate(new Random(13))) {
            ByteBuf in = Unpooled.wrappedBuffer(request.getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(HeadParser.Outcome.COMPLETE, parser.parseRequest(in, index), request);
            ByteBuf out = Unpooled.buffer();
            ForwardedRequestHead.write(index, null, null, CLIENT_IP, false, out);
            out.writeBytes(in, index.end(), in.writerIndex() - index.end());
            Request expected = Request.split(request).get(0).withDocumentedEdits();
            Request actual = Request.split(out.toString(StandardCharsets.ISO_8859_1)).get(0);
            assertEquals(expected.line, actual.line, request);
            assertEquals(String.join("\n", expected.headers), String.join("\n", actual.headers), request);
            assertEquals(expected.body, actual.body, request);
        }
    }

    private static void sendEach(int port, List<String> requests) throws IOException {
        try (RawHttp raw = new RawHttp(port)) {
            for (String request : requests) {
                assertEquals(200, raw.send(request).read().status(), request);
            }
        }
    }

    private static String allReceived(ScriptedBackend backend) throws InterruptedException {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < backend.connections.get(); i++) {
            all.append(backend.receivedSoFar(i));
        }
        return all.toString();
    }

    /** Valid HTTP/1.1 requests with the header names in varied case, repeated names, hop-by-hop headers and bodies. */
    private static List<String> generate(Random random) {
        List<String> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String method = METHODS[random.nextInt(METHODS.length)];
            StringBuilder head = new StringBuilder(method).append(" /r").append(i);
            for (int s = random.nextInt(4); s > 0; s--) {
                head.append('/').append(token(random, 1 + random.nextInt(12)));
            }
            if (random.nextBoolean()) {
                head.append("?q=").append(token(random, 1 + random.nextInt(20))).append("&p=%20x");
            }
            head.append(" HTTP/1.1\r\n");
            List<String> lines = new ArrayList<>();
            lines.add((random.nextBoolean() ? "Host" : "host") + ": " + token(random, 3) + ".example:" + (1 + random.nextInt(65535)));
            for (int h = random.nextInt(11); h > 0; h--) {
                String name = NAMES[random.nextInt(NAMES.length)];
                lines.add(random.nextInt(lines.size() + 1), name + ": " + value(random, name));
            }
            if (random.nextInt(5) == 0) {
                lines.add("Connection: keep-alive, X-Hop");
            }
            String body = "";
            boolean hasBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
            if (hasBody && random.nextBoolean()) {
                String data = token(random, random.nextInt(2000));
                lines.add("Content-Length: " + data.length());
                body = data;
            } else if (hasBody) {
                lines.add("Transfer-Encoding: chunked");
                StringBuilder chunked = new StringBuilder();
                for (int c = random.nextInt(4); c > 0; c--) {
                    String data = token(random, 1 + random.nextInt(500));
                    chunked.append(Integer.toHexString(data.length())).append("\r\n").append(data).append("\r\n");
                }
                body = chunked.append("0\r\n\r\n").toString();
            }
            requests.add(head + String.join("\r\n", lines) + "\r\n\r\n" + body);
        }
        return requests;
    }

    private static String value(Random random, String name) {
        return switch (name) {
            case "X-Forwarded-For" -> "192.0.2." + random.nextInt(256);
            case "Via" -> "1.1 lb" + random.nextInt(9);
            case "X-Forwarded-Proto" -> "https";
            case "TE" -> "trailers";
            case "Upgrade" -> "h2c";
            default -> {
                StringBuilder v = new StringBuilder(token(random, 1 + random.nextInt(30)));
                // Visible characters and inner spaces, as real values have (cookies, user agents, quoted strings).
                v.append(" (\"x\"; a=b, c/d)");
                yield v.toString();
            }
        };
    }

    static String token(Random random, int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** One request as a backend received it: its line, its header lines as sent, and its body bytes as framed. */
    private record Request(String line, List<String> headers, String body) {
        static List<Request> split(String received) throws IOException {
            InputStream in = new ByteArrayInputStream(received.getBytes(StandardCharsets.ISO_8859_1));
            List<Request> requests = new ArrayList<>();
            for (String head = ScriptedBackend.readHead(in); head != null; head = ScriptedBackend.readHead(in)) {
                List<String> lines = new ArrayList<>(List.of(head.substring(0, head.length() - 4).split("\r\n")));
                String line = lines.remove(0);
                String lower = head.toLowerCase(Locale.ROOT);
                String body;
                if (lower.contains("\r\ntransfer-encoding: chunked\r\n")) {
                    body = chunkedBody(in);
                } else {
                    int at = lower.indexOf("\r\ncontent-length: ");
                    int length = at < 0 ? 0 : Integer.parseInt(lower.substring(at + 18, lower.indexOf("\r\n", at + 2)));
                    body = new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
                }
                requests.add(new Request(line, lines, body));
            }
            return requests;
        }

        /** A chunked body as it was on the wire, chunk sizes and boundaries included: the proxy keeps them. */
        private static String chunkedBody(InputStream in) throws IOException {
            StringBuilder body = new StringBuilder();
            for (String size = line(in); ; size = line(in)) {
                body.append(size).append("\r\n");
                int length = Integer.parseInt(size, 16);
                if (length == 0) {
                    return body.append(line(in)).append("\r\n").toString();
                }
                body.append(new String(in.readNBytes(length), StandardCharsets.ISO_8859_1)).append(line(in)).append("\r\n");
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            return line.substring(0, line.length() - 1);
        }

        private static String name(String headerLine) {
            return headerLine.substring(0, headerLine.indexOf(':')).toLowerCase(Locale.ROOT);
        }

        private static String value(String headerLine) {
            return headerLine.substring(headerLine.indexOf(':') + 1).strip();
        }

        /** The documented edits, applied to what the client sent. */
        Request withDocumentedEdits() {
            Set<String> dropped = new java.util.HashSet<>(HOP_BY_HOP);
            List<String> forwardedFor = new ArrayList<>();
            List<String> via = new ArrayList<>();
            boolean proto = false;
            for (String header : headers) {
                if (name(header).equals("connection")) {
                    for (String token : value(header).split(",")) {
                        String named = token.strip().toLowerCase(Locale.ROOT);
                        if (!FRAMING.contains(named)) {
                            dropped.add(named);
                        }
                    }
                }
            }
            List<String> edited = new ArrayList<>();
            for (String header : headers) {
                String name = name(header);
                if (name.equals("x-forwarded-for")) {
                    forwardedFor.add(value(header));
                } else if (name.equals("via")) {
                    via.add(value(header));
                } else if (!dropped.contains(name)) {
                    proto |= name.equals("x-forwarded-proto");
                    edited.add(header);
                }
            }
            forwardedFor.add(CLIENT_IP);
            edited.add("x-forwarded-for: " + String.join(", ", forwardedFor));
            if (!proto) {
                edited.add("x-forwarded-proto: http");
            }
            via.add("1.1 maintd");
            edited.add("via: " + String.join(", ", via));
            return new Request(line, edited, body);
        }
    }
}
