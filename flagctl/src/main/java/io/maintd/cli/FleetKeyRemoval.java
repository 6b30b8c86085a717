package io.maintd.cli;

import io.maintd.fleet.KeyValue;
import io.maintd.fleet.LogEntry;
import io.maintd.fleet.Txn;
import io.maintd.fleet.TxnResult;
import java.util.List;

/** Deletes one fleet key with its log entry, only if it exists: {@code unset} and {@code undrain}. */
final class FleetKeyRemoval {
    private static final int ATTEMPTS = 5;

    private FleetKeyRemoval() {
    }

    /**
     * @return the revision of the delete, or 0 when there was no such key. The delete compares the
     *         key's revision with the one just read, so a key rewritten meanwhile is read again.
     */
    static long remove(FleetSession fleet, String key, LogEntry entry) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<KeyValue> kvs = fleet.await(fleet.client.rangeKey(key), "read " + key).kvs();
            if (kvs.isEmpty()) {
                return 0;
            }
            TxnResult result = fleet.change(new Txn().ifModRevision(key, kvs.get(0).modRevision()).thenDelete(key), entry,
                    "delete " + key);
            if (result.succeeded()) {
                return result.revision();
            }
        }
        throw new CliFailure(ExitCode.ETCD, key + " kept changing while it was being deleted; try again");
    }
}
