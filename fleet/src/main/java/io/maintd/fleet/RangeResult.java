package io.maintd.fleet;

import java.util.ArrayList;
import java.util.List;

/** The keys a range read returned, and the store revision it read at. */
public record RangeResult(long revision, List<KeyValue> kvs) {
    static RangeResult of(JsonFields response) {
        return new RangeResult(response.object("header").int64("revision"), kvs(response));
    }

    static List<KeyValue> kvs(JsonFields response) {
        List<KeyValue> kvs = new ArrayList<>();
        for (JsonFields kv : response.objects("kvs")) {
            kvs.add(KeyValue.of(kv));
        }
        return List.copyOf(kvs);
    }
}
