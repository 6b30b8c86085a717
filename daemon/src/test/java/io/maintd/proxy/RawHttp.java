package io.maintd.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A client on a plain socket, for what HTTP libraries will not send: pipelining, bad requests, HEAD framing. */
public final class RawHttp implements AutoCloseable {
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(int port) throws IOException {
        this(port, 0);
    }

    /** {@code receiveBuffer} > 0 fixes the socket's receive buffer, which Linux otherwise grows to megabytes. */
    public RawHttp(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public OutputStream output() {
        return out;
    }

    public InputStream input() {
        return in;
    }

    /** Reads one response; {@code head} for a response to HEAD, which has no body whatever its headers say. */
    public Response read(boolean head) throws IOException {
        Response start = readHead();
        int status = start.status();
        Map<String, String> headers = start.headers();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (!head && status != 204 && status != 304 && status / 100 != 1) {
            if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (byte[] chunk = readChunk(); chunk.length > 0; chunk = readChunk()) {
                    body.write(chunk);
                }
            } else {
                body.write(in.readAllBytes());
            }
        }
        return new Response(status, headers, body.toByteArray());
    }

    /** Reads a status line and headers only; the body is left for {@link #readChunk}. */
    public Response readHead() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        return new Response(status, headers, new byte[0]);
    }

    /** Reads one chunk of a chunked body; empty for the last chunk (after which trailers are skipped). */
    byte[] readChunk() throws IOException {
        int size = Integer.parseInt(line().split(";")[0].trim(), 16);
        if (size == 0) {
            while (!line().isEmpty()) {
                // trailers
            }
            return new byte[0];
        }
        byte[] chunk = in.readNBytes(size);
        line();
        return chunk;
    }

    public Response read() throws IOException {
        return read(false);
    }

    /** Everything the server sends until it closes the connection. */
    byte[] readAvailableUntilClose() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            in.transferTo(received);
        } catch (java.net.SocketException reset) {
            // A reset ends the stream as well.
        }
        return received.toByteArray();
    }

    /** True when the server closed the connection (reads end of stream). */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = line.length();
                return len > 0 && line.charAt(len - 1) == '\r' ? line.substring(0, len - 1) : line.toString();
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
