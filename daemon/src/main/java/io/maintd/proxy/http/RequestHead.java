package io.maintd.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;

/**
 * One request head as {@link RequestDecoder} parsed it: the outcome, and for a complete head the
 * {@link HeadIndex} over its bytes, which is all the rules and the forwarding read. Method and
 * target are Strings made once (the access log keeps them after the exchange); header values
 * are read in place.
 *
 * <p>The index belongs to the connection and is reused by the next head, which the decoder
 * parses only once this request's exchange has completed (it decodes on demand); so a head is
 * read only while its exchange is live, as every reader here does.
 */
public final class RequestHead {
    private static final AsciiString HOST = AsciiString.cached("host");
    private static final AsciiString CONNECTION = AsciiString.cached("connection");
    private static final AsciiString UPGRADE = AsciiString.cached("upgrade");
    private static final AsciiString EXPECT = AsciiString.cached("expect");
    private static final AsciiString CONTINUE = AsciiString.cached("100-continue");
    private static final String[] KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
        "TRACE", "CONNECT"};

    private final HeadParser.Outcome outcome;
    private final HeadIndex index;
    private final String method;
    private final long framing;
    private String target;
    /** Replaces every Host field when not null (an absolute-form authority, or "" for HTTP/1.0 without one). */
    private String host;
    /** The Host field's value, read once: every host rule reads it. */
    private CharSequence hostField;

    private RequestHead(HeadParser.Outcome outcome, HeadIndex index) {
        this.outcome = outcome;
        this.index = index;
        this.method = index == null ? "-" : method(index);
        this.target = index == null ? "-" : index.text(index.secondStart(), index.secondEnd());
        this.framing = outcome == HeadParser.Outcome.COMPLETE ? BodyFraming.ofRequest(index) : BodyFraming.MALFORMED;
    }

    /** A complete head, described by {@code index}. */
    static RequestHead parsed(HeadIndex index) {
        return new RequestHead(HeadParser.Outcome.COMPLETE, index);
    }

    /** A head of which nothing could be read (or that did not arrive in time), for the refusal it gets. */
    public static RequestHead failed(HeadParser.Outcome outcome) {
        return new RequestHead(outcome, null);
    }

    /**
     * A head refused after its request line was read: the access log still names its method and
     * target, and the fields that were read before the fault stay readable (a late head is
     * answered in JSON when its Accept asked for it).
     */
    static RequestHead refused(HeadParser.Outcome outcome, HeadIndex index) {
        return new RequestHead(outcome, index);
    }

    private static String method(HeadIndex index) {
        int from = index.firstStart();
        int to = index.firstEnd();
        for (String known : KNOWN_METHODS) {
            if (index.regionEquals(from, to, known)) {
                return known;
            }
        }
        return index.text(from, to);
    }

    /** {@link HeadParser.Outcome#COMPLETE}, or why the head was refused. */
    public HeadParser.Outcome outcome() {
        return outcome;
    }

    public boolean parsed() {
        return outcome == HeadParser.Outcome.COMPLETE;
    }

    /** The method token, exactly as sent (methods are case-sensitive). */
    public String method() {
        return method;
    }

    /** The target the backend will get: as sent, or as {@link #rewrite} made it. */
    public String target() {
        return target;
    }

    /** 10 for HTTP/1.0, 11 for HTTP/1.1. */
    public int version() {
        return index.version();
    }

    /** The Host the backend will get, or null when there is none. */
    public CharSequence host() {
        if (host != null) {
            return host;
        }
        if (hostField == null) {
            hostField = header(HOST);
        }
        return hostField;
    }

    /** How many Host fields the client sent. */
    public int hostCount() {
        int count = 0;
        for (int field = index.find(HOST, 0); field >= 0; field = index.find(HOST, field + 1)) {
            count++;
        }
        return count;
    }

    /** The first value of the field named {@code lowerName}, read in place; null when absent (or nothing was parsed). */
    public CharSequence header(AsciiString lowerName) {
        int field = index == null ? -1 : index.find(lowerName, 0);
        return field < 0 ? null : index.view(index.valueStart(field), index.valueEnd(field));
    }

    /** The first field named {@code lowerName}, or -1: for reading its value byte by byte without a copy. */
    public int field(AsciiString lowerName) {
        return index == null ? -1 : index.find(lowerName, 0);
    }

    public int valueLength(int field) {
        return index.valueEnd(field) - index.valueStart(field);
    }

    /** Byte {@code i} of the field's value (as an unsigned value). */
    public int valueByte(int field, int i) {
        return index.byteAt(index.valueStart(field) + i) & 0xff;
    }

    /**
     * Sends the backend {@code target} instead of the original, and {@code host} (when not null)
     * as the only Host: the rewrites that make the rules see what the backend receives.
     */
    public void rewrite(String target, String host) {
        this.target = target;
        if (host != null) {
            this.host = host;
        }
    }

    /** The body's length, {@link BodyFraming#CHUNKED} or {@link BodyFraming#MALFORMED}. */
    public long framing() {
        return framing;
    }

    /** The client may send another request on the connection (RFC 9112 section 9.3). */
    public boolean keepAlive() {
        return index.keepsAlive();
    }

    /** The request asks to switch protocols (a WebSocket handshake), which is tunnelled after a 101. */
    public boolean upgrade() {
        return index.find(UPGRADE, 0) >= 0 && hasToken(CONNECTION, UPGRADE);
    }

    /** The client waits for {@code 100 Continue} before it sends its body. */
    public boolean expectsContinue() {
        return hasToken(EXPECT, CONTINUE);
    }

    private boolean hasToken(AsciiString lowerName, AsciiString lowerToken) {
        return index.listContains(lowerName, lowerToken);
    }

    /** Writes the head for the upstream hop ({@link ForwardedRequestHead}). */
    public void writeUpstream(String clientIp, boolean upgrade, ByteBuf out) {
        boolean retargeted = !index.regionEquals(index.secondStart(), index.secondEnd(), target);
        ForwardedRequestHead.write(index, retargeted ? target : null, host, clientIp, upgrade, out);
    }

    /** Bytes the head took on the wire, a size hint for the buffer it is forwarded in. */
    public int length() {
        return index.end() - index.start();
    }
}
