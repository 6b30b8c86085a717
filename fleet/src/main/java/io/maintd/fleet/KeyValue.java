package io.maintd.fleet;

import java.nio.charset.StandardCharsets;

/**
 * One key as etcd returns it (mvccpb.KeyValue).
 *
 * @param key            the key; bytes that are not UTF-8 show as U+FFFD and then fail the layout's grammar
 * @param createRevision 0 for a key that does not exist (a delete event's kv)
 * @param lease          the lease id the key is attached to, 0 for none
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version, long lease) {
    static KeyValue of(JsonFields kv) {
        return new KeyValue(new String(kv.bytes("key"), StandardCharsets.UTF_8), kv.bytes("value"),
                kv.int64("create_revision"), kv.int64("mod_revision"), kv.int64("version"), kv.int64("lease"));
    }
}
