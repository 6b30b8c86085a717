package io.maintd.net;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A client on a real socket that keeps sending a byte per tick, as a slowloris does, to see
 * whether the server ever lets it go. It learns that the server closed from a write that fails
 * (the server's kernel answers bytes for a closed socket with a reset), which works even when the
 * server only half-closed first, as the agent port does after its reply.
 */
public final class SlowPeer {
    private SlowPeer() {
    }

    /** Sends {@code start}, then one byte per {@code tick}; true once the server has closed, false after {@code bound}. */
    public static boolean closedWhileTrickling(InetSocketAddress server, String start, Duration tick, Duration bound)
            throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.connect(server, 10_000);
            OutputStream out = socket.getOutputStream();
            out.write(start.getBytes(StandardCharsets.ISO_8859_1));
            long deadline = System.nanoTime() + bound.toNanos();
            while (System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(tick.toMillis());
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException closedByServer) {
                    return true;
                }
            }
            return false;
        }
    }
}
