package io.maintd.proxy;

import io.maintd.rules.RequestPath;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * What RFC 9112 makes a server refuse in a request head that the codec let through, checked
 * before the rules see the request; and the rewrites that make the rules see what the backend
 * will receive:
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
    static Refusal admit(HttpRequest request) {
        HttpVersion version = request.protocolVersion();
        // The codec hands out its constants only for exactly "HTTP/1.1" and "HTTP/1.0"; any other
        // version, or these in lower case, is a new instance.
        if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
            return version.majorVersion() == 1 && version.minorVersion() <= 1
                    ? new Refusal(RequestRejection.MALFORMED, "the version must be written " + version.text())
                    : new Refusal(RequestRejection.VERSION, version.text() + " is not HTTP/1.0 or HTTP/1.1");
        }
        String target = request.uri();
        if (target.isEmpty()) {
            return new Refusal(RequestRejection.TARGET, "empty target");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '#') {
                // Control characters and raw bytes above 0x7e are not in the target's grammar (and
                // the encoder would re-encode the latter as UTF-8); '#' starts a fragment, which is
                // never sent and which backends cut differently (HAProxy refuses it: CVE-2023-45539).
                return new Refusal(RequestRejection.TARGET, String.format("byte 0x%02x in the target", (int) c));
            }
        }
        if (HttpMethod.CONNECT.equals(request.method())) {
            return new Refusal(RequestRejection.METHOD, "CONNECT is not proxied");
        }
        HttpHeaders headers = request.headers();
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return new Refusal(RequestRejection.HOST, hosts.size() + " Host headers");
        }
        if (hosts.isEmpty() && version == HttpVersion.HTTP_1_1) {
            return new Refusal(RequestRejection.HOST, "no Host header");
        }
        if (!hosts.isEmpty() && !isAuthority(hosts.get(0), 0, hosts.get(0).length())) {
            return new Refusal(RequestRejection.HOST, "Host is not host[:port]");
        }
        if (target.charAt(0) != '/') {
            Refusal refusal = absoluteToOrigin(request, target);
            if (refusal != null) {
                return refusal;
            }
        } else if (hosts.isEmpty()) {
            headers.set(HttpHeaderNames.HOST, "");
        }
        String resolved = RequestPath.resolve(request.uri());
        if (resolved == null) {
            return new Refusal(RequestRejection.TARGET,
                    "the path climbs above the root, or has \\, %2F, %5C, %00 or a bad %-escape");
        }
        request.setUri(resolved);
        return null;
    }

    /** {@code *} for OPTIONS is kept; an http(s) absolute-form target becomes origin-form and Host. */
    private static Refusal absoluteToOrigin(HttpRequest request, String target) {
        if (target.equals("*")) {
            return HttpMethod.OPTIONS.equals(request.method()) ? null
                    : new Refusal(RequestRejection.TARGET, "'*' is only for OPTIONS");
        }
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
        request.setUri(path.isEmpty() || path.charAt(0) == '?' ? "/" + path : path);
        request.headers().set(HttpHeaderNames.HOST, target.substring(start, end));
        return null;
    }

    /**
     * {@code host[:port]}: a DNS name or IPv4 address (letters, digits, {@code - . _ ~}) or an
     * IPv6 literal in brackets, then an optional port of up to five digits. Stricter than RFC
     * 3986's reg-name, which also allows sub-delimiters such as {@code ,} and escapes that no DNS
     * name has and that only serve to make one Host read two ways.
     */
    private static boolean isAuthority(String s, int start, int end) {
        int hostEnd;
        if (start < end && s.charAt(start) == '[') {
            int close = s.indexOf(']', start);
            if (close < 0 || close >= end || close == start + 1) {
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
