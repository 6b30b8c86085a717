package io.maintd.log;

import io.maintd.config.MaintdConfig.LogConfig.Format;
import io.maintd.json.JsonObject;
import io.maintd.proxy.FinishedRequest;
import io.maintd.proxy.RequestObserver;
import io.maintd.proxy.RequestRejection;
import io.maintd.proxy.Route;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The optional access log ({@code log.access}): one line per request with client, method,
 * target, status, body bytes, upstream time, route and the rule that chose it.
 *
 * <p>The event loop never touches the disk. It formats the line and offers it to a bounded queue
 * ({@value #CAPACITY} lines); one writer thread takes the queued lines every few milliseconds
 * and appends them with one flush. When the disk is slower than the traffic and the queue is full, lines are
 * dropped and counted ({@code maintd_access_log_dropped_total}, and a warning at most every 10 s)
 * rather than stalling requests: nginx blocks its worker on a slow disk, HAProxy drops to
 * syslog over UDP; maintd does the latter's trade-off without the network hop.
 */
public final class AccessLog implements AutoCloseable {
    static final int CAPACITY = 16_384;
    private static final System.Logger LOG = System.getLogger(AccessLog.class.getName());
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long DRAIN_MILLIS = 10;

    private final Path file;
    private final Format format;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(CAPACITY);
    private final LongAdder dropped = new LongAdder();
    private final Writer out;
    private final Thread writer;
    private volatile boolean closing;

    private AccessLog(Path file, Format format, Writer out) {
        this.file = file;
        this.format = format;
        this.out = out;
        this.writer = new Thread(this::writeLines, "maintd-access-log");
        writer.setDaemon(true);
    }

    /** @throws UncheckedIOException naming the file when it cannot be opened for appending */
    public static AccessLog open(Path file, Format format) {
        try {
            Writer out = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(file.toFile(), true),
                    StandardCharsets.UTF_8), 64 * 1024);
            AccessLog log = new AccessLog(file, format, out);
            log.writer.start();
            LOG.log(System.Logger.Level.INFO, "access log: " + file + " (" + format.name().toLowerCase() + ")");
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("log.access: cannot open " + file + " for appending: " + e.getMessage(), e);
        }
    }

    /** Lines dropped because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    /** {@code counting} (the proxy's traffic counters) plus this log, as the proxy's one observer. */
    public RequestObserver observing(RequestObserver counting) {
        return new RequestObserver() {
            @Override
            public void onConnectionOpened() {
                counting.onConnectionOpened();
            }

            @Override
            public void onConnectionClosed() {
                counting.onConnectionClosed();
            }

            @Override
            public void onRequestStart() {
                counting.onRequestStart();
            }

            @Override
            public void onRequestEnd(Route route, int status, long upstreamNanos) {
                counting.onRequestEnd(route, status, upstreamNanos);
            }

            @Override
            public void onRequestRejected(RequestRejection why) {
                counting.onRequestRejected(why);
            }

            @Override
            public void onRequestLogged(FinishedRequest request) {
                if (!lines.offer(line(request, Instant.now()))) {
                    dropped.increment();
                }
            }
        };
    }

    String line(FinishedRequest r, Instant now) {
        if (format == Format.JSON) {
            JsonObject json = new JsonObject().put("time", LogLineFormat.time(now)).put("client", r.clientIp())
                    .put("method", r.method()).put("target", r.target()).put("status", r.status())
                    .put("bytes", r.bodyBytes()).put("route", r.route().label()).put("rule", r.rule());
            if (r.upstreamNanos() > 0) {
                json.put("upstream_us", TimeUnit.NANOSECONDS.toMicros(r.upstreamNanos()));
            }
            return json.toString();
        }
        StringBuilder b = new StringBuilder(160).append(LogLineFormat.time(now)).append(' ').append(r.clientIp())
                .append(" \"").append(r.method()).append(' ');
        printable(b, r.target());
        b.append("\" ").append(r.status()).append(' ').append(r.bodyBytes()).append(" upstream=");
        if (r.upstreamNanos() > 0) {
            long micros = TimeUnit.NANOSECONDS.toMicros(r.upstreamNanos());
            b.append(micros / 1_000_000).append('.').append(String.format("%06d", micros % 1_000_000));
        } else {
            b.append('-');
        }
        return b.append(" route=").append(r.route().label()).append(" rule=").append(r.rule()).toString();
    }

    /** The target as sent, with quotes, backslashes and control bytes escaped, so a line stays one line. */
    private static void printable(StringBuilder b, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
    }

    /**
     * Every {@value #DRAIN_MILLIS} ms takes whatever is queued and appends it with one flush. The
     * writer never waits on the queue itself: a blocking take() would have every offer from an
     * event loop wake it (a futex call and a context switch per request, which measured as half
     * the cost of serving the maintenance page); polling on a timer keeps offers lock-and-store only.
     */
    private void writeLines() {
        List<String> batch = new ArrayList<>();
        long reported = 0;
        long lastWarning = System.nanoTime() - WARN_EVERY_NANOS;
        try {
            while (!closing || !lines.isEmpty()) {
                if (lines.drainTo(batch) == 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS));
                    continue;
                }
                for (String line : batch) {
                    out.write(line);
                    out.write('\n');
                }
                batch.clear();
                out.flush();
                long lost = dropped.sum();
                if (lost > reported && System.nanoTime() - lastWarning >= WARN_EVERY_NANOS) {
                    LOG.log(System.Logger.Level.WARNING, "access log: " + (lost - reported) + " lines dropped, "
                            + file + " is slower than the traffic");
                    reported = lost;
                    lastWarning = System.nanoTime();
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "access log: writing " + file + " failed, no more lines: " + e);
        }
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() throws IOException, InterruptedException {
        closing = true;
        writer.join(TimeUnit.SECONDS.toMillis(5));
        out.close();
    }
}
