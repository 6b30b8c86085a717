package io.maintd.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between clients and etcd that a test can cut, as a network partition cuts one
 * host off while etcd and the other hosts carry on: {@link #cut()} resets every open connection
 * and closes new ones at once, {@link #restore()} relays again. {@link #hold()} accepts
 * connections but relays nothing until {@link #release()}, so requests from several processes
 * reach etcd together. Loopback only.
 */
public final class CutProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private final List<Socket[]> held = new ArrayList<>();
    private boolean holding;

    public CutProxy(URI target) throws IOException {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "cut-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Where clients connect instead of etcd. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public void cut() {
        cut = true;
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    public void restore() {
        cut = false;
    }

    /** From now on, connections are accepted but not relayed until {@link #release()}. */
    public synchronized void hold() {
        holding = true;
    }

    /** How many connections wait to be relayed. */
    public synchronized int holding() {
        return held.size();
    }

    /** Relays every held connection, all at once, and new ones as they come. */
    public synchronized void release() {
        holding = false;
        for (Socket[] pair : held) {
            relay(pair[0], pair[1]);
            relay(pair[1], pair[0]);
        }
        held.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 5000);
                } catch (IOException e) {
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                open.add(client);
                open.add(upstream);
                synchronized (this) {
                    if (holding) {
                        held.add(new Socket[] {client, upstream});
                        continue;
                    }
                }
                relay(client, upstream);
                relay(upstream, client);
            } catch (IOException e) {
                // The server socket closed: the proxy is done.
            }
        }
    }

    private void relay(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ended) {
                // One side closed or was cut; the other is closed below.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "cut-proxy-relay");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }
}
