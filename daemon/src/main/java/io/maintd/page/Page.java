package io.maintd.page;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One response the proxy makes itself (maintenance, shed, or an error), rendered once into
 * direct memory in both an HTML and a JSON form. Serving it copies two small header sets and
 * hands out duplicates of the bodies: no disk I/O, no encoding, no body copy per request.
 *
 * <p>The bodies are JDK direct buffers behind unreleasable wrappers: every response can share
 * them without reference counting, and a page replaced by a reload is freed by the garbage
 * collector once the last response that used it is gone.
 */
public final class Page {
    private static final String HTML_TYPE = "text/html; charset=utf-8";
    private static final String JSON_TYPE = "application/json";

    private final HttpResponseStatus status;
    private final ByteBuf html;
    private final ByteBuf json;
    private final HttpHeaders htmlHeaders;
    private final HttpHeaders jsonHeaders;

    /** @param retryAfterSeconds sent as {@code Retry-After}; negative for none */
    public Page(HttpResponseStatus status, long retryAfterSeconds, byte[] html, byte[] json) {
        this.status = status;
        this.html = directCopy(html);
        this.json = directCopy(json);
        this.htmlHeaders = headers(HTML_TYPE, html.length, retryAfterSeconds);
        this.jsonHeaders = headers(JSON_TYPE, json.length, retryAfterSeconds);
    }

    private Page(HttpResponseStatus status, byte[] json, HttpHeaders headers) {
        this.status = status;
        this.html = directCopy(json);
        this.json = this.html;
        this.htmlHeaders = headers;
        this.jsonHeaders = headers;
    }

    /**
     * JSON for every client, readable by any origin's script ({@code Access-Control-Allow-Origin: *}):
     * public facts a front-end on another host fetches, such as {@code /.well-known/maintenance}.
     */
    public static Page publicJson(HttpResponseStatus status, byte[] json) {
        HttpHeaders headers = headers(JSON_TYPE, json.length, -1);
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        return new Page(status, json, headers);
    }

    public HttpResponseStatus status() {
        return status;
    }

    /**
     * A fresh response for one request. {@code head} leaves the body out but keeps the
     * Content-Length the GET would have had.
     */
    public FullHttpResponse response(boolean preferJson, boolean head) {
        ByteBuf body = preferJson ? json : html;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : body.duplicate());
        response.headers().set(preferJson ? jsonHeaders : htmlHeaders);
        return response;
    }

    /** The HTML body as text, for logs and tests. */
    public String htmlText() {
        return html.toString(StandardCharsets.UTF_8);
    }

    private static ByteBuf directCopy(byte[] bytes) {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(bytes).flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
    }

    private static HttpHeaders headers(String contentType, int length, long retryAfterSeconds) {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
        headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (retryAfterSeconds >= 0) {
            headers.set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
        }
        return headers;
    }
}
