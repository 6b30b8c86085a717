package io.maintd.fleetsync;

import io.maintd.fleet.EtcdClient;
import io.maintd.fleet.EtcdRequests;
import io.maintd.fleet.FleetKeys;
import io.maintd.fleet.KeyValue;
import io.maintd.fleet.RangeResult;
import io.maintd.fleet.Scope;
import io.maintd.fleet.Txn;
import io.maintd.fleet.TxnResult;
import io.maintd.fleet.WatchMessage;
import io.maintd.net.Transport;
import io.netty.channel.EventLoop;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@link FlagMirror} in step with etcd: a snapshot of the host's three prefixes read in one
 * transaction (so all three are at one revision), then one watch stream carrying a watch per
 * prefix from the next revision. Each watch remembers the revision after the last event it
 * delivered; when the stream breaks, the new stream resumes every watch from there, so no event
 * is lost or applied twice. When etcd has compacted past that revision, it cancels the watch
 * with the compaction revision and a new snapshot replaces everything (a full resync).
 *
 * <p>Single-threaded on {@code loop}. Phases: {@link Phase#SNAPSHOT} (reading), {@link Phase#WATCHING}
 * (stream open; connected once every watch is created), {@link Phase#WAITING} (backing off after a
 * failure), {@link Phase#CLOSED}.
 */
final class FleetWatch {
    enum Phase {
        SNAPSHOT, WATCHING, WAITING, CLOSED
    }

    /** A watch message may carry many events; far beyond a few hundred keys is not ours. */
    private static final int MAX_MESSAGE_BYTES = 4 << 20;

    private final EventLoop loop;
    private final Transport transport;
    private final EtcdClient client;
    private final List<String> prefixes;
    private final FlagMirror mirror;
    private final FleetConnection connection;
    private final Duration timeout;
    private final Backoff backoff = new Backoff(250, 4000);
    /** Per watch, in prefix order: the revision to resume from. */
    private final long[] next;
    private final List<Long> createdIds = new ArrayList<>();
    private Phase phase = Phase.WAITING;
    private WatchStream stream;
    private URI endpoint;

    FleetWatch(EventLoop loop, Transport transport, EtcdClient client, FleetKeys keys, String service, String host,
               FlagMirror mirror, FleetConnection connection, Duration timeout) {
        this.loop = loop;
        this.transport = transport;
        this.client = client;
        this.prefixes = List.of(keys.flagPrefix(Scope.all()), keys.flagPrefix(Scope.service(service)),
                keys.flagPrefix(Scope.host(host)));
        this.mirror = mirror;
        this.connection = connection;
        this.timeout = timeout;
        this.next = new long[prefixes.size()];
    }

    void start() {
        loop.execute(this::snapshot);
    }

    Phase phase() {
        return phase;
    }

    private void snapshot() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.SNAPSHOT;
        Txn read = new Txn();
        prefixes.forEach(read::thenRangePrefix);
        client.txn(read).whenCompleteAsync((result, failure) -> {
            if (phase == Phase.CLOSED) {
                return;
            }
            if (failure != null) {
                retry(failure, this::snapshot);
                return;
            }
            applySnapshot(result);
            Arrays.fill(next, result.revision() + 1);
            openStream(client.preferredEndpoint());
        }, loop);
    }

    private void applySnapshot(TxnResult result) {
        List<KeyValue> kvs = new ArrayList<>();
        for (RangeResult range : result.ranges()) {
            kvs.addAll(range.kvs());
        }
        mirror.resync(kvs, result.revision());
    }

    private void openStream(URI to) {
        phase = Phase.WATCHING;
        endpoint = to;
        createdIds.clear();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < prefixes.size(); i++) {
            body.append(EtcdRequests.watchPrefix(prefixes.get(i), next[i]));
        }
        stream = WatchStream.open(loop, transport, to, body.toString(), timeout, MAX_MESSAGE_BYTES, new WatchStream.Listener() {
            @Override
            public void onMessage(String json) {
                handle(WatchMessage.parse(json));
            }

            @Override
            public void onEnded(Throwable cause) {
                stream = null;
                if (phase == Phase.WATCHING) {
                    // Resume where each watch got to, on the next endpoint in case this one is gone.
                    URI nextEndpoint = client.after(endpoint);
                    retry(cause, () -> openStream(nextEndpoint));
                }
            }
        });
    }

    private void handle(WatchMessage message) {
        if (message.created()) {
            createdIds.add(message.watchId());
            if (createdIds.size() == prefixes.size()) {
                backoff.reset();
                connection.watching(endpoint, mirror.revision());
            }
            return;
        }
        int index = createdIds.indexOf(message.watchId());
        if (message.canceled()) {
            if (message.compactRevision() > 0) {
                connection.compacted(message.compactRevision());
                closeStream();
                snapshot();
                return;
            }
            throw new IllegalStateException("etcd canceled watch " + message.watchId() + ": "
                    + (message.cancelReason().isEmpty() ? "no reason given" : message.cancelReason()));
        }
        if (index < 0 || message.events().isEmpty()) {
            return;
        }
        mirror.apply(message.events());
        next[index] = message.events().get(message.events().size() - 1).kv().modRevision() + 1;
    }

    /** The lease or a report failed: the watch may be on a dead connection too, so start it again. */
    void suspect(Throwable cause) {
        loop.execute(() -> {
            if (phase == Phase.WATCHING && stream != null) {
                closeStream();
                URI nextEndpoint = client.after(endpoint);
                retry(cause, () -> openStream(nextEndpoint));
            }
        });
    }

    private void retry(Throwable cause, Runnable again) {
        phase = Phase.WAITING;
        connection.lost(cause);
        long delay = backoff.next();
        loop.schedule(() -> {
            if (phase != Phase.CLOSED) {
                again.run();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void closeStream() {
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }

    void close() {
        loop.execute(() -> {
            phase = Phase.CLOSED;
            closeStream();
        });
    }
}
