package io.maintd.proxy;

import io.maintd.proxy.http.BodyFraming;
import io.maintd.proxy.http.HeadParser;
import io.maintd.proxy.http.RequestHead;
import io.maintd.rules.RequestPath;

/**
 * What RFC 9112 makes a server refuse in a request head beyond its grammar
 * ({@link io.maintd.proxy.http.HeadParser} refuses that), checked before the rules see the
 * request; and the rewrites that make the rules see what the backend will receive:
 * <ul>
 *   <li>an absolute-form target ({@code GET http://h/x}) becomes origin-form ({@code GET /x}),
 *       with its authority as the only Host (RFC 9112 section 3.2.2), as nginx forwards it;</li>
 *   <li>a path with dot segments is forwarded resolved ({@link RequestPath#resolve});</li>
 *   <li>an HTTP/1.0 request without Host gets an empty one, the value RFC 9110 section 7.2 gives
 *       a request without an authority, since the upstream hop is HTTP/1.1 and needs one.</li>
 * </ul>
 */
final class RequestHeadCheck {
    /** Why a head was refused, in words for the log. */
    record Refusal(RequestRejection why, String detail) {
    }

    private RequestHeadCheck() {
    }

    /** Null when the request may go on (possibly rewritten as above), else why it must not. */
    static Refusal admit(RequestHead request) {
        if (!request.parsed()) {
            return refusalFor(request.outcome());
        }
        if (request.framing() == BodyFraming.MALFORMED) {
            return new Refusal(RequestRejection.MALFORMED,
                    "ambiguous body framing (Content-Length with Transfer-Encoding, several or non-digit Content-Length, "
                    + "or a Transfer-Encoding other than chunked)");
        }
        String target = request.target();
        for (int i = 0; i < target.length(); i++) {
            if (target.charAt(i) == '#') {
                // '#' starts a fragment, which is never sent and which backends cut differently
                // (HAProxy refuses it: CVE-2023-45539).
                return new Refusal(RequestRejection.TARGET, "byte 0x23 in the target");
            }
        }
        if (request.method().equals("CONNECT")) {
            return new Refusal(RequestRejection.METHOD, "CONNECT is not proxied");
        }
        int hosts = request.hostCount();
        if (hosts > 1) {
            return new Refusal(RequestRejection.HOST, hosts + " Host headers");
        }
        if (hosts == 0 && request.version() == 11) {
            return new Refusal(RequestRejection.HOST, "no Host header");
        }
        CharSequence host = request.host();
        if (hosts == 1 && !isAuthority(host, 0, host.length())) {
            return new Refusal(RequestRejection.HOST, "Host is not host[:port]");
        }
        String origin = target;
        if (target.charAt(0) != '/') {
            if (target.equals("*")) {
                return request.method().equals("OPTIONS") ? null
                        : new Refusal(RequestRejection.TARGET, "'*' is only for OPTIONS");
            }
            Refusal refusal = absoluteToOrigin(request, target);
            if (refusal != null) {
                return refusal;
            }
            origin = request.target();
        } else if (hosts == 0) {
            request.rewrite(target, "");
        }
        String resolved = RequestPath.resolve(origin);
        if (resolved == null) {
            return new Refusal(RequestRejection.TARGET,
                    "the path climbs above the root, or has \\, %2F, %5C, %00 or a bad %-escape");
        }
        request.rewrite(resolved, null);
        return null;
    }

    /** The refusal for a head the parser could not read, as HAProxy and nginx answer it. */
    private static Refusal refusalFor(HeadParser.Outcome outcome) {
        return switch (outcome) {
            case LINE_TOO_LONG -> new Refusal(RequestRejection.LINE_TOO_LONG, "request line too long");
            case HEADERS_TOO_LARGE -> new Refusal(RequestRejection.HEADERS_TOO_LARGE, "header section too large");
            case VERSION_NOT_SUPPORTED -> new Refusal(RequestRejection.VERSION, "not HTTP/1.0 or HTTP/1.1");
            case BAD_TARGET -> new Refusal(RequestRejection.TARGET, "a control character, DEL or a raw byte above 0x7e in the target");
            case INCOMPLETE -> new Refusal(RequestRejection.MALFORMED, "the head ended before its empty line");
            default -> new Refusal(RequestRejection.MALFORMED, "not an HTTP/1.1 request head (RFC 9112)");
        };
    }

    /** An http(s) absolute-form target becomes origin-form and Host. */
    private static Refusal absoluteToOrigin(RequestHead request, String target) {
        int scheme = target.indexOf("://");
        if (!(scheme == 4 && target.regionMatches(true, 0, "http", 0, 4))
                && !(scheme == 5 && target.regionMatches(true, 0, "https", 0, 5))) {
            return new Refusal(RequestRejection.TARGET, "not an origin-form, http(s) absolute-form or '*' target");
        }
        int start = scheme + 3;
        int end = start;
        while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
            end++;
        }
        if (!isAuthority(target, start, end)) {
            // Userinfo ("user@") included: RFC 9110 section 4.2.4 says to treat it as an error.
            return new Refusal(RequestRejection.TARGET, "the target's authority is not host[:port]");
        }
        String path = target.substring(end);
        request.rewrite(path.isEmpty() || path.charAt(0) == '?' ? "/" + path : path, target.substring(start, end));
        return null;
    }

    /**
     * {@code host[:port]}: a DNS name or IPv4 address (letters, digits, {@code - . _ ~}) or an
     * IPv6 literal in brackets, then an optional port of up to five digits. Stricter than RFC
     * 3986's reg-name, which also allows sub-delimiters such as {@code ,} and escapes that no DNS
     * name has and that only serve to make one Host read two ways.
     */
    private static boolean isAuthority(CharSequence s, int start, int end) {
        int hostEnd;
        if (start < end && s.charAt(start) == '[') {
            int close = start + 1;
            while (close < end && s.charAt(close) != ']') {
                close++;
            }
            if (close >= end || close == start + 1) {
                return false;
            }
            for (int i = start + 1; i < close; i++) {
                char c = s.charAt(i);
                if (!((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') || c == ':' || c == '.')) {
                    return false;
                }
            }
            hostEnd = close + 1;
        } else {
            hostEnd = start;
            while (hostEnd < end && s.charAt(hostEnd) != ':') {
                char c = s.charAt(hostEnd);
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '.' || c == '_' || c == '~')) {
                    return false;
                }
                hostEnd++;
            }
            if (hostEnd == start) {
                return false;
            }
        }
        if (hostEnd == end) {
            return true;
        }
        if (s.charAt(hostEnd) != ':' || end - hostEnd - 1 > 5) {
            return false;
        }
        for (int i = hostEnd + 1; i < end; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
