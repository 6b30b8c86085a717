package io.maintd.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Slow clients on real sockets (slowloris): each connection sends a start at once, then one more
 * byte per tick for as long as the server keeps it open, while a thread per connection collects
 * whatever the server answers until it closes. Every loop here is bounded by the deadline given.
 */
final class TricklingClients implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();
    private final List<ByteArrayOutputStream> received = new ArrayList<>();
    private final CountDownLatch closed;

    /** Opens {@code count} connections and sends {@code start} on each. */
    TricklingClients(int port, int count, String start) throws IOException {
        closed = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(start.getBytes(StandardCharsets.ISO_8859_1));
            sockets.add(socket);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            received.add(answer);
            Thread reader = new Thread(() -> collect(socket, answer), "trickling-client-" + i);
            reader.setDaemon(true);
            reader.start();
        }
    }

    private void collect(Socket socket, ByteArrayOutputStream answer) {
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (answer) {
                    answer.write(buffer, 0, n);
                }
            }
        } catch (IOException endedOrReset) {
            // A reset ends the connection as well; what arrived before it is kept.
        } finally {
            closed.countDown();
        }
    }

    /**
     * Sends {@code filler} on every connection each {@code tick} until the server has closed them
     * all or {@code bound} has passed. Returns whether all were closed.
     */
    boolean trickleUntilClosed(byte filler, Duration tick, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (closed.await(tick.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            for (Socket socket : sockets) {
                try {
                    socket.getOutputStream().write(filler);
                } catch (IOException gone) {
                    // Closed by the server; its reader records the end.
                }
            }
        }
        return closed.getCount() == 0;
    }

    /** What each connection received before it ended (or so far), as text. */
    List<String> answers() {
        List<String> out = new ArrayList<>();
        for (ByteArrayOutputStream answer : received) {
            synchronized (answer) {
                out.add(answer.toString(StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
