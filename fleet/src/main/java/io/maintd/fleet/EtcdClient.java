package io.maintd.fleet;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The unary calls maintd makes to etcd's v3 JSON gateway, over any {@link EtcdTransport}. A call
 * goes to the endpoint that answered last (a random one at first, so a fleet of daemons spreads
 * over the cluster's members as etcd's own clients do); when that one cannot be reached it moves
 * on through the others, and fails with {@link EtcdUnavailableException} naming every endpoint
 * and why when none answers. An answer that is an error ({@link EtcdException}) is not retried
 * elsewhere.
 */
public final class EtcdClient implements AutoCloseable {
    /** A lease etcd granted: its id and the TTL it granted (which may exceed the one asked for). */
    public record Lease(long id, long ttlSeconds) {
    }

    private final List<URI> endpoints;
    private final EtcdTransport transport;
    /** Index of the endpoint that answered last; any thread may move it. */
    private volatile int preferred;

    public EtcdClient(List<URI> endpoints, EtcdTransport transport) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoint");
        }
        this.endpoints = List.copyOf(endpoints);
        this.transport = transport;
        this.preferred = ThreadLocalRandom.current().nextInt(this.endpoints.size());
    }

    public List<URI> endpoints() {
        return endpoints;
    }

    /** The endpoint that answered last (a random one until then): where a watch stream goes first. */
    public URI preferredEndpoint() {
        return endpoints.get(preferred);
    }

    /** The endpoint after {@code endpoint} in the list, for a watch that lost its connection. */
    public URI after(URI endpoint) {
        return endpoints.get((endpoints.indexOf(endpoint) + 1) % endpoints.size());
    }

    public CompletableFuture<RangeResult> rangePrefix(String prefix) {
        return call(EtcdRequests.RANGE, EtcdRequests.rangePrefix(prefix).toString()).thenApply(RangeResult::of);
    }

    public CompletableFuture<RangeResult> rangeKey(String key) {
        return call(EtcdRequests.RANGE, EtcdRequests.rangeKey(key).toString()).thenApply(RangeResult::of);
    }

    public CompletableFuture<RangeResult> rangeNewest(String prefix, int limit) {
        return call(EtcdRequests.RANGE, EtcdRequests.rangeNewest(prefix, limit).toString()).thenApply(RangeResult::of);
    }

    /** @return the revision of the write */
    public CompletableFuture<Long> put(String key, byte[] value, long lease) {
        return call(EtcdRequests.PUT, EtcdRequests.put(key, value, lease).toString()).thenApply(EtcdClient::revision);
    }

    /** @return how many keys were deleted (0 or 1) */
    public CompletableFuture<Long> delete(String key) {
        return call(EtcdRequests.DELETE_RANGE, EtcdRequests.deleteKey(key).toString()).thenApply(r -> r.int64("deleted"));
    }

    /** Deletes every key in [{@code from}, {@code to}); returns how many. */
    public CompletableFuture<Long> deleteBetween(String from, String to) {
        return call(EtcdRequests.DELETE_RANGE, EtcdRequests.deleteBetween(from, to).toString()).thenApply(r -> r.int64("deleted"));
    }

    public CompletableFuture<TxnResult> txn(Txn txn) {
        return call(EtcdRequests.TXN, txn.json()).thenApply(TxnResult::of);
    }

    public CompletableFuture<Lease> grantLease(long ttlSeconds) {
        return call(EtcdRequests.LEASE_GRANT, EtcdRequests.leaseGrant(ttlSeconds).toString()).thenApply(r -> {
            if (r.has("error") || r.int64("ID") == 0) {
                throw new EtcdException(EtcdRequests.LEASE_GRANT, 200, 0, r.string("error", "no lease granted"));
            }
            return new Lease(r.int64("ID"), r.int64("TTL"));
        });
    }

    /** @return the lease's remaining TTL in seconds after the refresh; 0 when the lease no longer exists */
    public CompletableFuture<Long> keepAlive(long lease) {
        return call(EtcdRequests.LEASE_KEEPALIVE, EtcdRequests.keepAlive(lease).toString())
                .thenApply(r -> r.object("result").int64("TTL"));
    }

    private static long revision(JsonFields response) {
        return response.object("header").int64("revision");
    }

    private CompletableFuture<JsonFields> call(String path, String body) {
        CompletableFuture<JsonFields> result = new CompletableFuture<>();
        attempt(path, body, preferred, 0, new ArrayList<>(), result);
        return result;
    }

    private void attempt(String path, String body, int index, int tried, List<String> failures,
                         CompletableFuture<JsonFields> result) {
        URI endpoint = endpoints.get(index);
        transport.post(endpoint, path, body).whenComplete((reply, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                failures.add(endpoint + " (" + describe(cause) + ")");
                if (tried + 1 < endpoints.size()) {
                    attempt(path, body, (index + 1) % endpoints.size(), tried + 1, failures, result);
                } else {
                    result.completeExceptionally(new EtcdUnavailableException(
                            "no etcd endpoint answered: " + String.join(", ", failures), cause));
                }
                return;
            }
            preferred = index;
            try {
                result.complete(decode(endpoint, path, reply));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    private static JsonFields decode(URI endpoint, String path, EtcdTransport.Reply reply) {
        String where = endpoint + path;
        JsonFields body;
        try {
            body = JsonReader.parseObject(reply.body());
        } catch (MalformedJsonException e) {
            throw new EtcdException(where, reply.status(), 0, "HTTP " + reply.status() + " with a body that is not JSON ("
                    + e.getMessage() + ")");
        }
        if (reply.status() != 200) {
            throw new EtcdException(where, reply.status(), (int) body.int64("code"),
                    body.has("message") ? body.string("message") : "HTTP " + reply.status());
        }
        return body;
    }

    /** What went wrong with a connection, in a few words. */
    static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + Printable.of(message, 200));
    }

    @Override
    public void close() {
        transport.close();
    }
}
