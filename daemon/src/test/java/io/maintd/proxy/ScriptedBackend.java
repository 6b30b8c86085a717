package io.maintd.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on a plain server socket that misbehaves on purpose, the way real servers do at
 * the edges of keep-alive. Each connection is handed to a {@link Script} with the number of
 * connections accepted before it.
 */
public final class ScriptedBackend implements AutoCloseable {
    public interface Script {
        void run(int connectionIndex, Socket socket, InputStream in, OutputStream out) throws IOException;
    }

    public final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket server;
    private final Thread acceptor;

    public ScriptedBackend(Script script) throws IOException {
        this(0, script);
    }

    /** On {@code port} (0: any free one), for a server that comes back where it was. */
    public ScriptedBackend(int port, Script script) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(TestConfigs.loopback(port), 512);
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    int index = connections.getAndIncrement();
                    Thread handler = new Thread(() -> {
                        try (socket) {
                            script.run(index, socket, socket.getInputStream(), socket.getOutputStream());
                        } catch (IOException ignored) {
                            // The script's peer (the proxy) closed; nothing to report.
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

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
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

    @Override
    public void close() throws IOException {
        server.close();
    }
}
