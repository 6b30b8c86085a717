package io.maintd.fleet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A raw-socket stand-in for a misbehaving etcd gateway: it reads each request (head and
 * Content-Length body), records its exact bytes, then lets the test's script answer on the
 * socket however badly it likes (oversize, truncated, never, or not at all). Loopback only.
 */
final class ScriptedGateway implements AutoCloseable {
    /** What the gateway does with a connection once it has read the request. */
    interface Answer {
        void on(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final Answer answer;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    ScriptedGateway(Answer answer) throws IOException {
        this.answer = answer;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "scripted-gateway");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Every request received, as the bytes on the wire (ISO-8859-1). */
    List<String> requests() {
        return requests;
    }

    /** Reads until the client hangs up, answering nothing: a gateway that hangs. */
    static final Answer NEVER = socket -> socket.getInputStream().transferTo(OutputStream.nullOutputStream());

    /** An answer with this status line's code, a Content-Length of {@code declared} and {@code body} (which may be shorter). */
    static Answer reply(int status, long declared, byte[] body) {
        return socket -> {
            socket.getOutputStream().write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
                    + declared + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
        };
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread serving = new Thread(() -> serve(socket), "scripted-gateway-conn");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            requests.add(readRequest(socket.getInputStream()));
            answer.on(socket);
            socket.shutdownOutput();
            // Hold the socket until the client is done, so a slow or truncated answer stays that way.
            socket.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // The client gave up or the test closed the gateway.
        }
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int length = -1;
        while (length < 0) {
            int b = in.read();
            if (b < 0) {
                return seen.toString(StandardCharsets.ISO_8859_1);
            }
            seen.write(b);
            String text = seen.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                length = text.lines().filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15))
                        .mapToInt(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElse(0);
            }
        }
        seen.write(in.readNBytes(length));
        return seen.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
