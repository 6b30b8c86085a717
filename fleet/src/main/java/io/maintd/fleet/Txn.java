package io.maintd.fleet;

import io.maintd.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * An etcd transaction: if every comparison holds, run the success operations, else the failure
 * ones, all at one revision. The drain budget's check-and-write is one of these.
 */
public final class Txn {
    private final List<JsonObject> compares = new ArrayList<>();
    private final List<JsonObject> success = new ArrayList<>();
    private final List<JsonObject> failure = new ArrayList<>();

    /** Holds when {@code key} was last written at {@code revision}; 0 means the key does not exist. */
    public Txn ifModRevision(String key, long revision) {
        compares.add(new JsonObject().put("key", EtcdRequests.base64(key)).put("target", "MOD")
                .put("mod_revision", Long.toString(revision)).put("result", "EQUAL"));
        return this;
    }

    public Txn thenPut(String key, byte[] value, long lease) {
        success.add(new JsonObject().put("request_put", EtcdRequests.put(key, value, lease)));
        return this;
    }

    public Txn thenDelete(String key) {
        success.add(new JsonObject().put("request_delete_range", EtcdRequests.deleteKey(key)));
        return this;
    }

    /** Deletes every key in [{@code from}, {@code to}). */
    public Txn thenDeleteBetween(String from, String to) {
        success.add(new JsonObject().put("request_delete_range", EtcdRequests.deleteBetween(from, to)));
        return this;
    }

    /** When the comparisons hold: read exactly {@code key}. */
    public Txn thenRangeKey(String key) {
        success.add(new JsonObject().put("request_range", EtcdRequests.rangeKey(key)));
        return this;
    }

    /** When a comparison fails: read every key under {@code prefix}, at the same revision. */
    public Txn elseRangePrefix(String prefix) {
        failure.add(new JsonObject().put("request_range", EtcdRequests.rangePrefix(prefix)));
        return this;
    }

    /** When the comparisons hold: read every key under {@code prefix}. */
    public Txn thenRangePrefix(String prefix) {
        success.add(new JsonObject().put("request_range", EtcdRequests.rangePrefix(prefix)));
        return this;
    }

    String json() {
        return new JsonObject().raw("compare", JsonObject.array(compares)).raw("success", JsonObject.array(success))
                .raw("failure", JsonObject.array(failure)).toString();
    }
}
