package io.maintd.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on a plain server socket that misbehaves on purpose, the way real servers do at
 * the edges of keep-alive. Each connection is handed to a {@link Script} with the number of
 * connections accepted before it. Every byte a connection receives is recorded, so a test can
 * judge exactly what the proxy forwarded ({@link #received}).
 */
public final class ScriptedBackend implements AutoCloseable {
    public interface Script {
        void run(int connectionIndex, Socket socket, InputStream in, OutputStream out) throws IOException;
    }

    public final AtomicInteger connections = new AtomicInteger();
    private final List<Connection> accepted = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Thread acceptor;

    /** What one connection received, and whether its script has finished (the connection is closed). */
    private static final class Connection {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch ended = new CountDownLatch(1);

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }

        synchronized void record(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }
    }

    public ScriptedBackend(Script script) throws IOException {
        this(0, script);
    }

    /** On {@code port} (0: any free one), for a server that comes back where it was. */
    public ScriptedBackend(int port, Script script) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    int index = connections.getAndIncrement();
                    Connection connection = new Connection();
                    accepted.add(connection);
                    Thread handler = new Thread(() -> {
                        try (socket) {
                            script.run(index, socket, new RecordingStream(socket.getInputStream(), connection),
                                    socket.getOutputStream());
                        } catch (IOException ignored) {
                            // The script's peer (the proxy) closed; nothing to report.
                        } finally {
                            connection.ended.countDown();
                        }
                    }, "scripted-backend-" + index);
                    handler.setDaemon(true);
                    handler.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "scripted-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A backend that answers every complete request it reads (see {@link #answerEachRequest}) until the proxy closes. */
    public static ScriptedBackend answeringEachRequest() throws IOException {
        return new ScriptedBackend((index, socket, in, out) -> answerEachRequest(in, out));
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    /**
     * Every byte connection {@code index} received, as ISO-8859-1 text, once its script has
     * ended (for {@link #answeringEachRequest}: once the proxy closed it). Waits at most 10 s.
     */
    public String received(int index) throws InterruptedException {
        Connection connection = connection(index);
        if (!connection.ended.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("backend connection " + index + " is still open; it received: "
                    + new String(connection.bytes(), StandardCharsets.ISO_8859_1));
        }
        return new String(connection.bytes(), StandardCharsets.ISO_8859_1);
    }

    /** What connection {@code index} received so far, without waiting for it to end. */
    public String receivedSoFar(int index) throws InterruptedException {
        return new String(connection(index).bytes(), StandardCharsets.ISO_8859_1);
    }

    private Connection connection(int index) throws InterruptedException {
        for (int i = 0; i < 1000 && accepted.size() <= index; i++) {
            Thread.sleep(10);
        }
        if (accepted.size() <= index) {
            throw new AssertionError("the backend accepted " + accepted.size() + " connections, not " + (index + 1));
        }
        return accepted.get(index);
    }

    /** Reads one request head (and no body) from the stream; null when the peer closed first. */
    public static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                return head.toString();
            }
        }
        return null;
    }

    public static void respond(OutputStream out, String body) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Reads requests with their bodies (Content-Length or chunked, as framed) and answers each
     * complete one with 200 and its request line as the body. Returns when the stream ends or a
     * request is cut short or unreadable: such a request is never answered.
     */
    public static void answerEachRequest(InputStream in, OutputStream out) throws IOException {
        for (String head = readHead(in); head != null; head = readHead(in)) {
            if (!readBody(head, in)) {
                return;
            }
            respond(out, head.substring(0, head.indexOf("\r\n")));
        }
    }

    /** Reads the body the head frames; false when it ends early or its chunks cannot be read. */
    private static boolean readBody(String head, InputStream in) throws IOException {
        // Field values as RFC 9112 reads them: whitespace (SP or HTAB) around the value is not part of it.
        String lower = head.toLowerCase(java.util.Locale.ROOT).replaceAll("\r\n([^:\r\n]+):[ \t]*([^\r\n]*?)[ \t]*(?=\r\n)", "\r\n$1: $2");
        if (lower.contains("\r\ntransfer-encoding: chunked\r\n")) {
            for (String size = line(in); size != null; size = line(in)) {
                int length;
                try {
                    length = Integer.parseInt(size.split(";")[0], 16);
                } catch (NumberFormatException e) {
                    return false;
                }
                if (length == 0) {
                    for (String trailer = line(in); trailer != null; trailer = line(in)) {
                        if (trailer.isEmpty()) {
                            return true;
                        }
                    }
                    return false;
                }
                if (in.readNBytes(length).length < length || !"".equals(line(in))) {
                    return false;
                }
            }
            return false;
        }
        int at = lower.indexOf("\r\ncontent-length: ");
        if (at < 0) {
            return true;
        }
        int length = Integer.parseInt(lower.substring(at + 18, lower.indexOf("\r\n", at + 2)).trim());
        return in.readNBytes(length).length == length;
    }

    /** A CRLF-terminated line without its CRLF; null at end of stream. */
    public static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n' && line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                return line.substring(0, line.length() - 1);
            }
            line.append((char) c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** Hands on what it reads and records it for {@link #received}. */
    private static final class RecordingStream extends FilterInputStream {
        private final Connection connection;

        RecordingStream(InputStream in, Connection connection) {
            super(in);
            this.connection = connection;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                connection.record(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                connection.record(b, off, n);
            }
            return n;
        }
    }
}
