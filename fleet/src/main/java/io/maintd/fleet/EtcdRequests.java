package io.maintd.fleet;

import io.maintd.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Request bodies of etcd's v3 JSON gateway ({@code POST /v3/...}): protobuf messages as JSON,
 * bytes as base64, int64 as decimal strings. The one place that writes them, for the daemon's
 * Netty transport and flagctl's JDK one alike.
 */
public final class EtcdRequests {
    public static final String RANGE = "/v3/kv/range";
    public static final String PUT = "/v3/kv/put";
    public static final String DELETE_RANGE = "/v3/kv/deleterange";
    public static final String TXN = "/v3/kv/txn";
    public static final String LEASE_GRANT = "/v3/lease/grant";
    public static final String LEASE_KEEPALIVE = "/v3/lease/keepalive";
    public static final String WATCH = "/v3/watch";

    private EtcdRequests() {
    }

    /** Every key starting with {@code prefix}. */
    public static JsonObject rangePrefix(String prefix) {
        return new JsonObject().put("key", base64(prefix)).put("range_end", base64(FleetKeys.rangeEnd(prefix)));
    }

    /** Exactly {@code key}. */
    public static JsonObject rangeKey(String key) {
        return new JsonObject().put("key", base64(key));
    }

    /** The newest {@code limit} keys under {@code prefix}, by key, newest first (log keys sort by time). */
    public static JsonObject rangeNewest(String prefix, int limit) {
        return rangePrefix(prefix).put("limit", Integer.toString(limit)).put("sort_order", "DESCEND").put("sort_target", "KEY");
    }

    /** @param lease 0 for none */
    public static JsonObject put(String key, byte[] value, long lease) {
        JsonObject put = new JsonObject().put("key", base64(key)).put("value", base64(value));
        return lease == 0 ? put : put.put("lease", Long.toString(lease));
    }

    public static JsonObject deleteKey(String key) {
        return rangeKey(key);
    }

    /** Every key from {@code from} up to, not including, {@code to}. */
    public static JsonObject deleteBetween(String from, String to) {
        return new JsonObject().put("key", base64(from)).put("range_end", base64(to));
    }

    public static JsonObject leaseGrant(long ttlSeconds) {
        return new JsonObject().put("TTL", Long.toString(ttlSeconds));
    }

    public static JsonObject keepAlive(long lease) {
        return new JsonObject().put("ID", Long.toString(lease));
    }

    /**
     * A watch on every key under {@code prefix}, from {@code startRevision} on (0 = from now).
     * Several of these may be sent on one stream; etcd numbers them 0, 1, 2... in order.
     */
    public static JsonObject watchPrefix(String prefix, long startRevision) {
        JsonObject create = rangePrefix(prefix);
        if (startRevision > 0) {
            create.put("start_revision", Long.toString(startRevision));
        }
        return new JsonObject().put("create_request", create);
    }

    static String base64(String text) {
        return base64(text.getBytes(StandardCharsets.UTF_8));
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
