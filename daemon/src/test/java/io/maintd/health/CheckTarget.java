package io.maintd.health;

import io.maintd.testsupport.ScriptedBackend;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * A server the health checks talk to: it records each request head it receives and answers
 * check number {@code i} (from 0) with the raw bytes {@code answers.apply(i)} (null: answer
 * nothing, hold the connection open) then closes. {@code arrived} runs when a check's request
 * has arrived, before it is answered: a check starts only once the verdict of the one before
 * it was applied, so that is where a test sees the state each check left, with no timing
 * involved. A TCP check sends nothing; {@link #connections()} counts those.
 */
final class CheckTarget implements AutoCloseable {
    /** An HTTP/1.1 response with {@code code} and an empty body. */
    static String status(int code) {
        return "HTTP/1.1 " + code + " X\r\nContent-Length: 0\r\n\r\n";
    }

    final List<String> requests = new CopyOnWriteArrayList<>();
    private final ScriptedBackend server;

    private CheckTarget(int port, IntFunction<String> answers, IntConsumer arrived) throws IOException {
        server = new ScriptedBackend(port, (connection, socket, in, out) -> {
            String head = ScriptedBackend.readHead(in);
            if (head == null) {
                return;
            }
            int index;
            synchronized (requests) {
                index = requests.size();
                requests.add(head);
            }
            arrived.accept(index);
            String answer = answers.apply(index);
            if (answer == null) {
                in.read();
                return;
            }
            out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        });
    }

    static CheckTarget answering(IntFunction<String> answers) throws IOException {
        return answering(0, answers, i -> { });
    }

    /** @param port 0 for any, or where a server that comes back was */
    static CheckTarget answering(int port, IntFunction<String> answers) throws IOException {
        return answering(port, answers, i -> { });
    }

    static CheckTarget answering(int port, IntFunction<String> answers, IntConsumer arrived) throws IOException {
        return new CheckTarget(port, answers, arrived);
    }

    InetSocketAddress address() {
        return server.address();
    }

    /** Connections accepted so far. */
    int connections() {
        return server.connections.get();
    }

    /** Waits (bounded) until {@code count} checks have arrived. */
    void awaitRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (requests.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + requests.size() + " of " + count + " checks arrived: " + requests);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
