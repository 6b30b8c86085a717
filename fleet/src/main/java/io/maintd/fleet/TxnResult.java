package io.maintd.fleet;

import java.util.ArrayList;
import java.util.List;

/** Whether a transaction's comparisons held, its revision, and what its range operations read, in order. */
public record TxnResult(boolean succeeded, long revision, List<RangeResult> ranges) {
    static TxnResult of(JsonFields response) {
        long revision = response.object("header").int64("revision");
        List<RangeResult> ranges = new ArrayList<>();
        for (JsonFields op : response.objects("responses")) {
            if (op.has("response_range")) {
                ranges.add(new RangeResult(revision, RangeResult.kvs(op.object("response_range"))));
            }
        }
        return new TxnResult(response.bool("succeeded"), revision, List.copyOf(ranges));
    }
}
