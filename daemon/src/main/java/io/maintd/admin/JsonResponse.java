package io.maintd.admin;

import io.maintd.json.JsonObject;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/** A 200 answer carrying one JSON object and a newline, so {@code curl} output ends cleanly. */
final class JsonResponse {
    private JsonResponse() {
    }

    static FullHttpResponse ok(JsonObject json) {
        return TextResponse.of(HttpResponseStatus.OK, "application/json; charset=utf-8", json + "\n");
    }
}
