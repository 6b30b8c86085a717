package io.maintd.daemon;

import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.io.IOException;

/** A {@link HeldBackend} that stops and comes back on the same port, as an application restart does. */
public final class RestartableBackend implements AutoCloseable {
    private final String name;
    private final int port;
    private HeldBackend running;

    public RestartableBackend(String name) throws IOException {
        this.name = name;
        this.port = MaintdProcess.freePort();
        this.running = new HeldBackend(name, port);
    }

    public int port() {
        return port;
    }

    /** Closes the listener and every connection: what clients see of a process that exits. */
    public void stop() {
        running.close();
        running = null;
    }

    public void start() throws IOException {
        running = new HeldBackend(name, port);
    }

    @Override
    public void close() {
        if (running != null) {
            running.close();
        }
    }
}
