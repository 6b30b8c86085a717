package io.maintd.fleet;

import java.util.ArrayList;
import java.util.List;

/**
 * One message of a watch stream ({@code {"result": WatchResponse}}).
 *
 * @param watchId         which watch of the stream it concerns (0, 1, 2 in the order they were created)
 * @param created         the watch was just created
 * @param canceled        the watch ended; with {@code compactRevision} &gt; 0 because the revision it was
 *                        to resume from has been compacted away (a full resync is due)
 * @param revision        the store revision when the message was sent
 */
public record WatchMessage(long watchId, boolean created, boolean canceled, long compactRevision, String cancelReason,
                           long revision, List<Event> events) {
    public enum Type {
        PUT, DELETE
    }

    /** A change to one key; for a delete the kv holds the key and the deleting revision only. */
    public record Event(Type type, KeyValue kv) {
    }

    /** Reads one message; an {@code {"error": ...}} message is an {@link EtcdException}. */
    public static WatchMessage parse(String json) {
        JsonFields message = JsonReader.parseObject(json);
        Object error = message.asMap().get("error");
        if (error != null) {
            // The gateway reports a stream's error as an object, a unary call's as a string beside "code".
            JsonFields details = error instanceof JsonFields f ? f : message;
            throw new EtcdException("watch", 0, (int) details.int64(error instanceof JsonFields ? "grpc_code" : "code"),
                    details.string("message", "watch failed"));
        }
        JsonFields result = message.object("result");
        List<Event> events = new ArrayList<>();
        for (JsonFields event : result.objects("events")) {
            String type = event.string("type", "PUT");
            if (!type.equals("PUT") && !type.equals("DELETE")) {
                throw new MalformedJsonException("event type \"" + Printable.of(type, 20) + "\" is not PUT or DELETE");
            }
            events.add(new Event(Type.valueOf(type), KeyValue.of(event.object("kv"))));
        }
        return new WatchMessage(result.int64("watch_id"), result.bool("created"), result.bool("canceled"),
                result.int64("compact_revision"), result.string("cancel_reason", ""),
                result.object("header").int64("revision"), List.copyOf(events));
    }
}
