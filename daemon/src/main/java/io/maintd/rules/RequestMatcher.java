package io.maintd.rules;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.net.InetAddress;

/**
 * One request matcher with its alternatives ({@code method: [GET, HEAD]} is one matcher
 * that holds for either). Values are prepared at compile time; matching compares in place
 * on the request's strings, without copying or lower-casing them.
 */
abstract class RequestMatcher {
    abstract boolean matches(HttpRequest request, InetAddress client);

    /** Where the request target's path starts: origin-form "/x", or absolute-form "http://h/x". */
    static int pathStart(String uri) {
        if (uri.startsWith("/")) {
            return 0;
        }
        int scheme = uri.indexOf("://");
        return scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
    }

    /**
     * Path prefix, compared raw like nginx's {@code location /api} (so {@code /api} also
     * matches {@code /apiv2}; write {@code /api/} for the directory). A path with dot
     * segments or an encoded dot, slash or backslash never matches: otherwise
     * {@code unless: { path: /health }} would let {@code /health/../admin} through maintenance.
     */
    static final class PathPrefix extends RequestMatcher {
        private final String[] prefixes;

        PathPrefix(String[] prefixes) {
            this.prefixes = prefixes;
        }

        @Override
        boolean matches(HttpRequest request, InetAddress client) {
            String uri = request.uri();
            int start = pathStart(uri);
            if (start < 0 || !isPlainPath(uri, start)) {
                return false;
            }
            for (String prefix : prefixes) {
                if (uri.startsWith(prefix, start)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean isPlainPath(String uri, int start) {
            for (int i = start; i < uri.length(); i++) {
                char c = uri.charAt(i);
                if (c == '?' || c == '#') {
                    return true;
                }
                if (c == '\\') {
                    return false;
                }
                if (c == '%' && i + 2 < uri.length() && isHiddenSeparator(uri.charAt(i + 1), uri.charAt(i + 2))) {
                    return false;
                }
                if (c == '.' && uri.charAt(i - 1) == '/' && isDotSegment(uri, i)) {
                    return false;
                }
            }
            return true;
        }

        /** %2e ".", %2f "/", %5c "\". */
        private static boolean isHiddenSeparator(char high, char low) {
            char l = Character.toLowerCase(low);
            return (high == '2' && (l == 'e' || l == 'f')) || (high == '5' && l == 'c');
        }

        /** "." or ".." as a whole segment, starting at {@code dot}. */
        private static boolean isDotSegment(String uri, int dot) {
            int end = dot + 1;
            if (end < uri.length() && uri.charAt(end) == '.') {
                end++;
            }
            return end == uri.length() || "/?#".indexOf(uri.charAt(end)) >= 0;
        }
    }

    /**
     * Host, case-insensitive and without the port, from the absolute-form target if there
     * is one (RFC 9112 says it wins over Host), else from the Host header. A name starting
     * with {@code *.} matches any subdomain, as nginx's server_name does.
     */
    static final class Host extends RequestMatcher {
        private final String[] names;

        /** @param names lower-case; IPv6 literals in brackets; wildcards as ".example.com" */
        Host(String[] names) {
            this.names = names;
        }

        @Override
        boolean matches(HttpRequest request, InetAddress client) {
            String uri = request.uri();
            String source;
            int start;
            int end;
            int scheme = uri.startsWith("/") ? -1 : uri.indexOf("://");
            if (scheme >= 0) {
                source = uri;
                start = scheme + 3;
                end = authorityEnd(uri, start);
                int at = uri.lastIndexOf('@', end - 1);
                if (at >= start) {
                    start = at + 1;
                }
            } else {
                source = request.headers().get(HttpHeaderNames.HOST);
                if (source == null) {
                    return false;
                }
                start = 0;
                end = source.length();
            }
            end = withoutPort(source, start, end);
            if (end > start && source.charAt(end - 1) == '.') {
                end--;
            }
            int length = end - start;
            for (String name : names) {
                if (name.charAt(0) == '.'
                        ? length > name.length() && source.regionMatches(true, end - name.length(), name, 0, name.length())
                        : length == name.length() && source.regionMatches(true, start, name, 0, length)) {
                    return true;
                }
            }
            return false;
        }

        private static int authorityEnd(String uri, int start) {
            for (int i = start; i < uri.length(); i++) {
                char c = uri.charAt(i);
                if (c == '/' || c == '?' || c == '#') {
                    return i;
                }
            }
            return uri.length();
        }

        private static int withoutPort(String s, int start, int end) {
            if (start < end && s.charAt(start) == '[') {
                int close = s.indexOf(']', start);
                return close < 0 || close >= end ? end : close + 1;
            }
            int colon = s.lastIndexOf(':', end - 1);
            return colon >= start ? colon : end;
        }
    }

    /** Request method, exactly: HTTP methods are case-sensitive. */
    static final class Method extends RequestMatcher {
        private final HttpMethod[] methods;

        Method(HttpMethod[] methods) {
            this.methods = methods;
        }

        @Override
        boolean matches(HttpRequest request, InetAddress client) {
            HttpMethod method = request.method();
            for (HttpMethod m : methods) {
                if (m.equals(method)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * A header's first value equals one of the given values exactly. The compare takes the
     * same time wherever the first difference is, because the value is usually a bypass
     * token and a timing difference would let a client guess it byte by byte.
     */
    static final class HeaderEquals extends RequestMatcher {
        private final AsciiString name;
        private final String[] values;

        HeaderEquals(String name, String[] values) {
            this.name = AsciiString.cached(name);
            this.values = values;
        }

        @Override
        boolean matches(HttpRequest request, InetAddress client) {
            String actual = request.headers().get(name);
            if (actual == null) {
                return false;
            }
            boolean found = false;
            for (String expected : values) {
                found |= constantTimeEquals(actual, expected);
            }
            return found;
        }

        private static boolean constantTimeEquals(String actual, String expected) {
            int diff = actual.length() ^ expected.length();
            for (int i = 0; i < expected.length(); i++) {
                char a = i < actual.length() ? actual.charAt(i) : 0;
                diff |= a ^ expected.charAt(i);
            }
            return diff == 0;
        }
    }

    /** The client address is inside one of the networks. */
    static final class Source extends RequestMatcher {
        private final Cidr[] networks;

        Source(Cidr[] networks) {
            this.networks = networks;
        }

        @Override
        boolean matches(HttpRequest request, InetAddress client) {
            for (Cidr network : networks) {
                if (network.contains(client)) {
                    return true;
                }
            }
            return false;
        }
    }
}
