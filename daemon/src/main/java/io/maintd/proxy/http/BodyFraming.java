package io.maintd.proxy.http;

import io.netty.util.AsciiString;

/**
 * How a message's body is delimited (RFC 9112 section 6.3), read from its {@link HeadIndex}.
 * Refuses every head that two parsers could frame differently, which is what request smuggling
 * needs: Content-Length together with Transfer-Encoding, more than one Content-Length (even
 * equal ones, as Netty does), a Content-Length that is not plain digits, Transfer-Encoding on
 * HTTP/1.0, and in a request any Transfer-Encoding but exactly one {@code chunked} (nginx's
 * rule: maintd decodes no other coding, so it cannot find where another one ends).
 */
public final class BodyFraming {
    /** The body is chunked. */
    public static final long CHUNKED = -1;
    /** The head frames its body ambiguously or wrongly: 400 for a request, 502 for a response. */
    public static final long MALFORMED = -2;
    /** A response body that ends where the connection closes. */
    public static final long UNTIL_CLOSE = -3;

    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("content-length");
    private static final AsciiString TRANSFER_ENCODING = AsciiString.cached("transfer-encoding");
    private static final AsciiString CHUNKED_CODING = AsciiString.cached("chunked");
    /** 10^18 - 1 bytes fits a long with room; nobody sends an exabyte. */
    private static final int MAX_LENGTH_DIGITS = 18;

    private BodyFraming() {
    }

    /** A request's body length (0 when it has none), {@link #CHUNKED} or {@link #MALFORMED}. */
    public static long ofRequest(HeadIndex head) {
        int te = head.find(TRANSFER_ENCODING, 0);
        int cl = head.find(CONTENT_LENGTH, 0);
        if (te >= 0) {
            boolean single = head.find(TRANSFER_ENCODING, te + 1) < 0;
            return head.version() == 10 || cl >= 0 || !single || !head.valueIs(te, CHUNKED_CODING) ? MALFORMED : CHUNKED;
        }
        return cl < 0 ? 0 : contentLength(head, cl);
    }

    /**
     * A response's body length, {@link #CHUNKED}, {@link #UNTIL_CLOSE} or {@link #MALFORMED}.
     * {@code toHead}: the request was HEAD, so the response has no body whatever it says.
     */
    public static long ofResponse(HeadIndex head, boolean toHead) {
        int status = head.status();
        int te = head.find(TRANSFER_ENCODING, 0);
        int cl = head.find(CONTENT_LENGTH, 0);
        if (te >= 0 && (cl >= 0 || head.version() == 10)) {
            return MALFORMED;
        }
        if (toHead || status < 200 || status == 204 || status == 304) {
            return 0;
        }
        if (te >= 0) {
            // Section 6.3 item 4: chunked not last (or another coding) means the body runs to the close.
            int last = te;
            for (int next = head.find(TRANSFER_ENCODING, te + 1); next >= 0; next = head.find(TRANSFER_ENCODING, next + 1)) {
                last = next;
            }
            return lastCodingIsChunked(head, last) ? CHUNKED : UNTIL_CLOSE;
        }
        return cl < 0 ? UNTIL_CLOSE : contentLength(head, cl);
    }

    /** {@code gzip, chunked}: the coding after the last comma, whitespace aside, is chunked. */
    private static boolean lastCodingIsChunked(HeadIndex head, int field) {
        int from = head.valueStart(field);
        int to = head.valueEnd(field);
        int comma = to - 1;
        while (comma >= from && head.byteAt(comma) != ',') {
            comma--;
        }
        int start = comma + 1;
        while (start < to && (head.byteAt(start) == ' ' || head.byteAt(start) == '\t')) {
            start++;
        }
        return head.regionIs(start, to, CHUNKED_CODING);
    }

    private static long contentLength(HeadIndex head, int field) {
        if (head.find(CONTENT_LENGTH, field + 1) >= 0) {
            return MALFORMED;
        }
        int from = head.valueStart(field);
        int to = head.valueEnd(field);
        if (to == from || to - from > MAX_LENGTH_DIGITS) {
            return MALFORMED;
        }
        long length = 0;
        for (int i = from; i < to; i++) {
            byte b = head.byteAt(i);
            if (b < '0' || b > '9') {
                return MALFORMED;
            }
            length = length * 10 + b - '0';
        }
        return length;
    }
}
