package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.maintd.testsupport.ScriptedBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 valid responses, each sent by a raw backend to one request: what the client receives
 * through the proxy is what the backend sent, status line, header lines and body bytes (chunk
 * sizes, extensions and trailers included), except for the documented edits (docs/config.md,
 * "Headers"): the status line says HTTP/1.1; hop-by-hop fields and those named in Connection are
 * dropped; Via is gathered, appended to and moved last; and a body delimited by the close goes
 * chunked to the HTTP/1.1 client (its payload compared, not its chunk sizes). Interim 103
 * heads, HEAD requests, 204 and 304 are among them. The responses come from a seeded generator,
 * so a failure names a response that can be replayed.
 */
@Timeout(120)
class ResponseDifferentialTest {
    private static final int RESPONSES = 200;
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "upgrade", "proxy-authorization", "proxy-authenticate");
    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "host");
    private static final String[] NAMES = {"Content-Type", "cache-control", "Set-Cookie", "Set-Cookie", "ETag", "Date",
        "server", "X-Request-Id", "Vary", "Via", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade",
        "Proxy-Authenticate", "X-Hop", "Link", "X-Custom"};
    private static final int[] STATUSES = {200, 200, 200, 200, 201, 204, 206, 301, 304, 404, 500, 503};

    @TempDir
    Path dir;

    /** One generated exchange: the request the client sends and the exact bytes the backend answers with. */
    private record Scripted(boolean head, String response, boolean untilClose) {
    }

    @Test
    void clientReceivesWhatTheBackendSentExceptTheDocumentedEdits() throws Exception {
        List<Scripted> script = generate(new Random(13));
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = new ScriptedBackend((index, socket, in, out) -> answer(script, in, out));
             ProxyFixture proxy = new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend.address()), null,
                     TestConfigs.limits()));
             RawHttp raw = new RawHttp(proxy.port())) {
            for (int i = 0; i < RESPONSES; i++) {
                Scripted scripted = script.get(i);
                raw.send((scripted.head ? "HEAD" : "GET") + " /r" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                String which = "response " + i + ":\n" + scripted.response;
                InputStream sent = stream(scripted.response);
                while (true) {
                    Message expected = Message.read(sent, scripted.head, scripted.untilClose).withDocumentedEdits();
                    Message actual = Message.read(raw.input(), scripted.head, false);
                    assertEquals(expected.line, actual.line, which);
                    assertEquals(String.join("\n", expected.fields), String.join("\n", actual.fields), which);
                    assertEquals(expected.body, actual.body(expected.bodyChunked), which);
                    if (expected.status >= 200) {
                        break;
                    }
                }
            }
            assertEquals(RESPONSES, proxy.counters.requests(Route.BACKEND), "every response counted, bodyless ones too");
        }
    }

    /** Answers each request with the scripted response its target names; closes after one delimited by the close. */
    private static void answer(List<Scripted> script, InputStream in, OutputStream out) throws IOException {
        for (String head = ScriptedBackend.readHead(in); head != null; head = ScriptedBackend.readHead(in)) {
            int target = Integer.parseInt(head.substring(head.indexOf("/r") + 2, head.indexOf(" HTTP/")));
            Scripted scripted = script.get(target);
            out.write(scripted.response.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (scripted.untilClose || scripted.response.contains("Connection: close")) {
                return;
            }
        }
    }

    private static List<Scripted> generate(Random random) {
        List<Scripted> script = new ArrayList<>();
        for (int i = 0; i < RESPONSES; i++) {
            boolean head = random.nextInt(10) == 0;
            StringBuilder response = new StringBuilder();
            if (random.nextInt(10) == 0) {
                response.append("HTTP/1.1 103 Early Hints\r\nLink: </s").append(i).append(".css>; rel=preload\r\n")
                        .append(random.nextBoolean() ? "Via: 1.1 cdn\r\n" : "").append("\r\n");
            }
            int status = STATUSES[random.nextInt(STATUSES.length)];
            boolean http10 = random.nextInt(10) == 0;
            response.append(http10 ? "HTTP/1.0 " : "HTTP/1.1 ").append(status);
            switch (random.nextInt(4)) {
                case 0 -> response.append("\r\n");
                case 1 -> response.append(" \r\n");
                default -> response.append(" Some Reason ").append(i).append("\r\n");
            }
            List<String> lines = new ArrayList<>();
            for (int h = random.nextInt(10); h > 0; h--) {
                String name = NAMES[random.nextInt(NAMES.length)];
                lines.add(random.nextInt(lines.size() + 1), name + ":" + (random.nextBoolean() ? " " : "") + value(random, name));
            }
            if (random.nextInt(5) == 0) {
                lines.add(random.nextInt(lines.size() + 1), "Connection: keep-alive, X-Hop");
            }
            if (random.nextInt(15) == 0) {
                lines.add("Connection: close");
            }
            boolean bodyless = head || status == 204 || status == 304;
            int framing = random.nextInt(5);
            boolean untilClose = !bodyless && framing == 4;
            String body = "";
            if (framing == 4) {
                body = untilClose ? ForwardingDifferentialTest.token(random, random.nextInt(3000)) : "";
            } else if (framing >= 2 && !http10) {
                lines.add("Transfer-Encoding: chunked");
                body = bodyless ? "" : chunked(random);
            } else {
                String data = ForwardingDifferentialTest.token(random, random.nextInt(3000));
                lines.add("Content-Length: " + data.length());
                body = bodyless ? "" : data;
            }
            response.append(String.join("\r\n", lines)).append(lines.isEmpty() ? "" : "\r\n").append("\r\n").append(body);
            script.add(new Scripted(head, response.toString(), untilClose));
        }
        return script;
    }

    private static String chunked(Random random) {
        StringBuilder chunked = new StringBuilder();
        for (int c = random.nextInt(5); c > 0; c--) {
            String data = ForwardingDifferentialTest.token(random, 1 + random.nextInt(2000));
            chunked.append(random.nextBoolean() ? Integer.toHexString(data.length()) : Integer.toHexString(data.length())
                    .toUpperCase(Locale.ROOT));
            switch (random.nextInt(4)) {
                case 0 -> chunked.append(";a=b");
                case 1 -> chunked.append(" ; q=\"x y\"");
                default -> {
                }
            }
            chunked.append("\r\n").append(data).append("\r\n");
        }
        chunked.append(random.nextBoolean() ? "0\r\n" : "0;last\r\n");
        if (random.nextBoolean()) {
            chunked.append("X-Checksum: ").append(ForwardingDifferentialTest.token(random, 8)).append("\r\n");
        }
        return chunked.append("\r\n").toString();
    }

    private static String value(Random random, String name) {
        return switch (name) {
            case "Via" -> "1.1 lb" + random.nextInt(9);
            case "TE" -> "trailers";
            case "Upgrade" -> "h2c";
            case "Set-Cookie" -> "id=" + ForwardingDifferentialTest.token(random, 12) + "; Path=/; HttpOnly";
            default -> ForwardingDifferentialTest.token(random, 1 + random.nextInt(30)) + " (\"x\"; a=b, c/d)"
                    + (random.nextInt(4) == 0 ? " caf\u00e9 \t" : "");
        };
    }

    private static InputStream stream(String text) {
        return new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * One response as it was on the wire: its status line, its field lines as sent, and its body
     * bytes as framed. {@code bodyChunked}: read with {@code untilClose}, the body was delimited
     * by the close, so the client gets it chunked.
     */
    private record Message(int status, String line, List<String> fields, String body, boolean bodyChunked) {
        /** {@code untilClose}: the body is the rest of the stream. */
        static Message read(InputStream in, boolean head, boolean untilClose) throws IOException {
            String line = line(in);
            assertNotNull(line, "a response");
            int status = Integer.parseInt(line.substring(9, 12));
            List<String> fields = new ArrayList<>();
            long length = -1;
            boolean chunked = false;
            for (String field = line(in); !field.isEmpty(); field = line(in)) {
                fields.add(field);
                String lower = field.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                }
                chunked |= lower.equals("transfer-encoding: chunked");
            }
            String body = "";
            if (!head && status >= 200 && status != 204 && status != 304) {
                body = untilClose ? new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)
                        : chunked ? chunkedBytes(in) : new String(in.readNBytes((int) length), StandardCharsets.ISO_8859_1);
            }
            return new Message(status, line, fields, body, untilClose);
        }

        /** The body to compare: a chunked body delimited by the close on the other side is compared by its payload. */
        String body(boolean payloadOnly) throws IOException {
            if (!payloadOnly) {
                return body;
            }
            InputStream in = stream(body);
            StringBuilder payload = new StringBuilder();
            for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                payload.append(new String(in.readNBytes(size), StandardCharsets.ISO_8859_1));
                line(in);
            }
            return payload.toString();
        }

        /** A chunked body's exact bytes, framing included, up to the empty line after the trailers. */
        private static String chunkedBytes(InputStream in) throws IOException {
            StringBuilder raw = new StringBuilder();
            while (true) {
                String size = line(in);
                raw.append(size).append("\r\n");
                int semicolon = size.indexOf(';');
                int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (length == 0) {
                    for (String trailer = line(in); ; trailer = line(in)) {
                        raw.append(trailer).append("\r\n");
                        if (trailer.isEmpty()) {
                            return raw.toString();
                        }
                    }
                }
                raw.append(new String(in.readNBytes(length), StandardCharsets.ISO_8859_1)).append(line(in)).append("\r\n");
            }
        }

        private static String line(InputStream in) throws IOException {
            String line = ScriptedBackend.line(in);
            if (line == null) {
                throw new IOException("the stream ended inside a line");
            }
            return line;
        }

        private static String name(String field) {
            return field.substring(0, field.indexOf(':')).toLowerCase(Locale.ROOT);
        }

        /** The documented edits, applied to what the backend sent, for an HTTP/1.1 client on a kept connection. */
        Message withDocumentedEdits() {
            Set<String> dropped = new HashSet<>(HOP_BY_HOP);
            for (String field : fields) {
                if (name(field).equals("connection")) {
                    for (String token : field.substring(field.indexOf(':') + 1).split(",")) {
                        String named = token.strip().toLowerCase(Locale.ROOT);
                        if (!FRAMING.contains(named)) {
                            dropped.add(named);
                        }
                    }
                }
            }
            List<String> via = new ArrayList<>();
            List<String> edited = new ArrayList<>();
            for (String field : fields) {
                String name = name(field);
                if (name.equals("via")) {
                    via.add(field.substring(field.indexOf(':') + 1).strip());
                } else if (!dropped.contains(name)) {
                    edited.add(field);
                }
            }
            via.add("1.1 maintd");
            edited.add("via: " + String.join(", ", via));
            boolean untilClose = status >= 200 && bodyChunked;
            if (untilClose) {
                edited.add("transfer-encoding: chunked");
            }
            String code = line.substring(9, 12);
            String reason = line.length() > 13 ? line.substring(13) : "";
            return new Message(status, "HTTP/1.1 " + code + " " + reason, edited, body, untilClose);
        }
    }
}
