package io.maintd.proxy;

import io.maintd.page.AcceptHeader;
import io.maintd.page.Page;
import io.maintd.rules.Decision;
import io.maintd.syntax.AddressSyntax;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.maintd.proxy.http.RequestHead;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;

/**
 * One request and its response on a client connection, from the routing decision to the last
 * byte written. {@link RequestRouter} creates it and passes it down the pipeline in place of
 * the request head; whichever handler answers {@link #record records} the outcome with the
 * {@link RequestObserver} and then {@link #complete completes} it, which reads the next
 * request or closes.
 *
 * <p>The connection reads one request at a time: nothing reads the next request until this
 * one completes, which is how pipelined requests get their responses in order.
 */
final class Exchange implements FinishedRequest {
    private static final System.Logger LOG = System.getLogger(Exchange.class.getName());
    /** Enough of a request target to recognise it in a log line; attackers choose its length. */
    private static final int LOGGED_TARGET_CHARS = 200;
    private static final AsciiString ACCEPT = AsciiString.cached("accept");

    private final Channel client;
    private final RequestObserver observer;
    private final RequestHead request;
    private Route route;
    /** Null for a request whose head was refused. */
    private final Decision decision;
    private final Page page;
    private final String backend;
    private final ServingConfig serving;
    private final String clientIp;
    private boolean keepAlive;
    /** HTTP/1.1 for a head that could not be parsed: the version its refusal is written in. */
    private final HttpVersion clientVersion;
    private boolean recorded;
    private boolean completed;
    private int status;
    private long upstreamNanos;
    private long bodyBytes;
    /** Replaces the page's own Retry-After when 0 or more: the time left in a maintenance window. */
    private long retryAfterSeconds = -1;

    /**
     * @param page      the page to answer with, or null to proxy to {@code backend}
     * @param keepAlive whether the client may keep the connection after this response
     */
    Exchange(Channel client, RequestObserver observer, RequestHead request, Route route, Decision decision, Page page,
             String backend, ServingConfig serving, String clientIp, boolean keepAlive) {
        this.client = client;
        this.observer = observer;
        this.request = request;
        this.route = route;
        this.decision = decision;
        this.page = page;
        this.backend = backend;
        this.serving = serving;
        this.clientIp = clientIp;
        this.keepAlive = keepAlive;
        this.clientVersion = request.parsed() && request.version() == 10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
    }

    RequestHead request() {
        return request;
    }

    @Override
    public Route route() {
        return route;
    }

    Page page() {
        return page;
    }

    String backend() {
        return backend;
    }

    ServingConfig serving() {
        return serving;
    }

    @Override
    public String clientIp() {
        return clientIp;
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public String target() {
        return request.target();
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public long bodyBytes() {
        return bodyBytes;
    }

    @Override
    public long upstreamNanos() {
        return upstreamNanos;
    }

    @Override
    public String rule() {
        String rule = decision == null ? null : serving.router().ruleOf(decision);
        return rule == null ? "-" : rule;
    }

    /** Response body bytes on their way to the client, counted for the access log. */
    void countBody(long bytes) {
        bodyBytes += bytes;
    }

    /** Whether the client may keep the connection after this response; see {@link #closeAfterResponse}. */
    boolean keepAlive() {
        return keepAlive;
    }

    /**
     * The connection closes after this response: its body is delimited by the close, or no
     * further request can be read. A response head not yet written says so.
     */
    void closeAfterResponse() {
        keepAlive = false;
    }

    HttpVersion clientVersion() {
        return clientVersion;
    }

    boolean isHead() {
        return request.method().equals("HEAD");
    }

    boolean isCompleted() {
        return completed;
    }

    /** Sends {@code seconds} as Retry-After instead of the page's configured value. */
    void retryAfter(long seconds) {
        retryAfterSeconds = seconds;
    }

    /** Answers with a page the proxy renders itself (maintenance, shed or an error) and completes. */
    void answer(Page answer, boolean keepAliveAfter) {
        FullHttpResponse response = answer.response(
                AcceptHeader.prefersJson(request.header(ACCEPT)), isHead());
        if (retryAfterSeconds >= 0 && answer == page) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
        }
        ClientConnectionHeader.apply(response, clientVersion, keepAliveAfter);
        countBody(response.content().readableBytes());
        record(answer.status().code(), 0);
        complete(keepAliveAfter, client.writeAndFlush(response));
    }

    /**
     * Answers with an error the proxy generated because the upstream failed; the request is
     * then counted on the error route, whatever the rules had chosen.
     */
    void fail(Page error, boolean keepAliveAfter) {
        route = Route.ERROR;
        answer(error, keepAliveAfter);
    }

    /**
     * Reports the outcome to the observer. Called before the last byte is written, so anyone
     * who has seen the response can already see it counted.
     */
    void record(int status, long upstreamNanos) {
        if (!recorded) {
            recorded = true;
            this.status = status;
            this.upstreamNanos = upstreamNanos;
            observer.onRequestEnd(route, status, upstreamNanos);
            observer.onRequestLogged(this);
        }
    }

    /**
     * The response has been handed to the client channel. Reads the next request, or closes
     * once {@code lastWrite} is on the wire.
     */
    void complete(boolean keepAliveAfter, ChannelFuture lastWrite) {
        if (completed) {
            return;
        }
        completed = true;
        if (keepAliveAfter) {
            client.read();
        } else {
            lastWrite.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Counts a refusal and logs it with the facts: WARNING for a body that failed to decode
     * (a broken client or a smuggling attempt, and the upstream exchange was aborted for it),
     * INFO for a refused head, as nginx logs bad requests at info.
     */
    void reject(RequestRejection why, String detail) {
        observer.onRequestRejected(why);
        LOG.log(why == RequestRejection.BODY ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                "rejected " + describe() + " (" + why.label() + "): " + detail);
    }

    /** {@code GET /x from 192.0.2.1:50000}, the target with control and non-ASCII bytes escaped. */
    String describe() {
        String from = " from " + AddressSyntax.format((InetSocketAddress) client.remoteAddress());
        return request.parsed() ? request.method() + " " + printable(request.target()) + from
                : "an unparseable request" + from;
    }

    /** Escapes what could forge or break a log line: control characters and bytes above 0x7e. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), LOGGED_TARGET_CHARS) + 8);
        for (int i = 0; i < text.length() && i < LOGGED_TARGET_CHARS; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\x%02x", (int) c & 0xff));
            } else {
                out.append(c);
            }
        }
        if (text.length() > LOGGED_TARGET_CHARS) {
            out.append("...");
        }
        return out.toString();
    }

    /** The client closed before its response was complete. */
    void abandon() {
        completed = true;
        record(RequestObserver.CLIENT_CLOSED, 0);
    }
}
