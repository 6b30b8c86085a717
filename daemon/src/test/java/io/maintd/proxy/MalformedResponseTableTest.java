package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.maintd.testsupport.ScriptedBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proxy's response-head grammar as a table: a backend sends a malformed or ambiguous
 * response and closes; the client gets the status in the table (502 for a head the proxy
 * refuses) and the body it shows, or a body cut short ({@link #CUT}) that no client takes for
 * a complete one. The backend received exactly the forwarded request in every case. Written
 * against Netty's codec and kept for the head index that replaced it (issue 13), which refuses
 * what Netty repaired (obs-fold) or misread (a space inside a name).
 */
@Timeout(120)
class MalformedResponseTableTest {
    /** The client's response ended (the connection closed) before its framing said it would. */
    static final String CUT = "<cut short>";
    private static final String REQUEST = "GET /r HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    private static final String FORWARDED = "GET /r HTTP/1.1\r\nHost: x\r\n" + MalformedRequestTableTest.APPENDED + "\r\n";

    @TempDir
    Path dir;

    static Stream<Arguments> responses() {
        String ok = "HTTP/1.1 200 OK\r\n";
        return Stream.of(
                // Framing (RFC 9112 section 6.3).
                arguments("Content-Length and chunked", ok + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", 502, null),
                arguments("two different Content-Length", ok + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nok!", 502, null),
                arguments("Content-Length with letters", ok + "Content-Length: 2x\r\n\r\nok", 502, null),
                arguments("negative Content-Length", ok + "Content-Length: -2\r\n\r\nok", 502, null),
                arguments("Content-Length longer than the body", ok + "Content-Length: 10\r\n\r\nok", 200, CUT),
                arguments("chunk size in letters", ok + "Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\nZZ\r\nxx\r\n0\r\n\r\n", 200, CUT),
                arguments("chunked body without its last chunk", ok + "Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n", 200, CUT),
                arguments("chunk data longer than its size", ok + "Transfer-Encoding: chunked\r\n\r\n2\r\nokXX\r\n0\r\n\r\n", 200, CUT),
                arguments("Transfer-Encoding gzip ends at the close", ok + "Transfer-Encoding: gzip\r\n\r\nzz", 200, "zz"),
                arguments("no framing: the body ends at the close", ok + "\r\nclose-delimited", 200, "close-delimited"),

                // The status line (RFC 9112 section 4).
                arguments("status with letters", "HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\nok", 502, null),
                arguments("status of four digits", "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok", 502, null),
                arguments("status of two digits", "HTTP/1.1 20 OK\r\nContent-Length: 2\r\n\r\nok", 502, null),
                arguments("HTTP/2.0 status line", "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok", 502, null),
                arguments("junk instead of a status line", "hello\r\n\r\n", 502, null),
                arguments("nothing at all", "", 502, null),
                arguments("status line without a reason", "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok", 200, "ok"),
                arguments("interim 100 before the response", "HTTP/1.1 100 Continue\r\n\r\n" + ok + "Content-Length: 2\r\n\r\nok", 200, "ok"),
                arguments("101 to a request that did not ask to upgrade", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n"
                        + "Connection: upgrade\r\n\r\n", 502, null),

                // Header lines (RFC 9112 section 5).
                arguments("header line without a colon", ok + "nocolon\r\nContent-Length: 2\r\n\r\nok", 502, null),
                arguments("NUL inside a value", ok + "X-A: a\u0000b\r\nContent-Length: 2\r\n\r\nok", 502, null),
                arguments("bare CR inside a value", ok + "X-A: a\rb\r\nContent-Length: 2\r\n\r\nok", 502, null),
                arguments("space inside a name", ok + "X A: b\r\nContent-Length: 2\r\n\r\nok", 502, null),
                arguments("empty name", ok + ": b\r\nContent-Length: 2\r\n\r\nok", 502, null),
                // RFC 9112 section 5.2 lets a proxy unfold or answer 502; the head index refuses (as HAProxy does).
                arguments("obs-fold is refused", ok + "X-A: a\r\n b\r\nContent-Length: 2\r\n\r\nok", 502, null),
                arguments("head over 64 KiB", ok + "X-A: " + "a".repeat(70_000) + "\r\nContent-Length: 2\r\n\r\nok", 502, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void responseGetsItsStatusAndBody(String name, String response, int status, String body) throws Exception {
        try (TestFlags flags = TestFlags.create(dir);
             ScriptedBackend backend = new ScriptedBackend((index, socket, in, out) -> answerOnceAndClose(in, out, response));
             ProxyFixture proxy = new ProxyFixture(flags, TestConfigs.config(flags.path(), List.of(backend.address()), null,
                     TestConfigs.limits()));
             RawHttp raw = new RawHttp(proxy.port())) {
            byte[] received = raw.send(REQUEST).readAvailableUntilClose();
            FinalResponse client = FinalResponse.parse(received);
            assertEquals(status, client.status, new String(received, StandardCharsets.ISO_8859_1));
            if (body != null) {
                assertEquals(body, client.body);
            }
            assertEquals(FORWARDED, backend.received(0));
        }
    }

    private static void answerOnceAndClose(InputStream in, OutputStream out, String response) throws IOException {
        ScriptedBackend.readHead(in);
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The status of the last response the client got (after any 1xx) and its body, or {@link #CUT}. */
    private record FinalResponse(int status, String body) {
        static FinalResponse parse(byte[] bytes) throws IOException {
            InputStream in = new ByteArrayInputStream(bytes);
            while (true) {
                String statusLine = line(in);
                if (statusLine == null) {
                    return new FinalResponse(0, null);
                }
                int status = Integer.parseInt(statusLine.split(" ")[1]);
                long length = -1;
                boolean chunked = false;
                for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                    String lower = header.toLowerCase(java.util.Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(lower.substring(15).trim());
                    }
                    chunked |= lower.equals("transfer-encoding: chunked");
                }
                if (status / 100 == 1) {
                    continue;
                }
                return new FinalResponse(status, chunked ? chunked(in) : length >= 0 ? exactly(in, length)
                        : new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }

        private static String exactly(InputStream in, long length) throws IOException {
            byte[] body = in.readNBytes((int) length);
            return body.length < length ? CUT : new String(body, StandardCharsets.ISO_8859_1);
        }

        private static String chunked(InputStream in) throws IOException {
            StringBuilder body = new StringBuilder();
            for (String size = line(in); size != null; size = line(in)) {
                int length = Integer.parseInt(size.trim(), 16);
                if (length == 0) {
                    return "".equals(line(in)) ? body.toString() : CUT;
                }
                String data = exactly(in, length);
                if (data == CUT || !"".equals(line(in))) {
                    return CUT;
                }
                body.append(data);
            }
            return CUT;
        }

        /** A CRLF-terminated line, or null when the bytes end first. */
        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (c == '\n' && line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                    return line.substring(0, line.length() - 1);
                }
                line.append((char) c);
            }
            return null;
        }
    }
}
