package io.maintd.rules;

import io.maintd.proxy.http.RequestHead;
import io.netty.util.AsciiString;
import java.net.InetAddress;

/**
 * One request matcher with its alternatives ({@code method: [GET, HEAD]} is one matcher
 * that holds for either). Values are prepared at compile time; matching compares in place
 * on the request's strings, without copying or lower-casing them. Matchers see the head the
 * proxy has checked: an origin-form target (or {@code *}) and at most one Host header.
 */
abstract class RequestMatcher {
    abstract boolean matches(RequestHead request, InetAddress client);

    /**
     * Path prefix, compared like nginx's {@code location /api} (so {@code /api} also matches
     * {@code /apiv2}; write {@code /api/} for the directory), with the path the backend will
     * resolve: see {@link RequestPath}, so neither {@code /health/..;/admin} nor
     * {@code /x/%2e%2e/admin} can stretch an exemption or dodge a block.
     */
    static final class PathPrefix extends RequestMatcher {
        private final String[] prefixes;

        /** @param prefixes in {@link RequestPath#matchedForm} */
        PathPrefix(String[] prefixes) {
            this.prefixes = prefixes;
        }

        @Override
        boolean matches(RequestHead request, InetAddress client) {
            String target = request.target();
            for (String prefix : prefixes) {
                if (RequestPath.startsWith(target, prefix)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Host, case-insensitive and without the port, from the Host header. The proxy has already
     * replaced it with an absolute-form target's authority (RFC 9112 section 3.2.2), so the
     * host matched is the host forwarded. A name starting with {@code *.} matches any
     * subdomain, as nginx's server_name does.
     */
    static final class Host extends RequestMatcher {
        private final String[] names;

        /** @param names lower-case; IPv6 literals in brackets; wildcards as ".example.com" */
        Host(String[] names) {
            this.names = names;
        }

        @Override
        boolean matches(RequestHead request, InetAddress client) {
            CharSequence host = request.host();
            if (host == null) {
                return false;
            }
            int end = withoutPort(host);
            if (end > 0 && host.charAt(end - 1) == '.') {
                end--;
            }
            for (String name : names) {
                if (name.charAt(0) == '.'
                        ? end > name.length() && AsciiString.regionMatches(host, true, end - name.length(), name, 0, name.length())
                        : end == name.length() && AsciiString.regionMatches(host, true, 0, name, 0, end)) {
                    return true;
                }
            }
            return false;
        }

        private static int withoutPort(CharSequence host) {
            if (host.length() > 0 && host.charAt(0) == '[') {
                int close = AsciiString.indexOf(host, ']', 0);
                return close < 0 ? host.length() : close + 1;
            }
            for (int i = host.length() - 1; i >= 0; i--) {
                if (host.charAt(i) == ':') {
                    return i;
                }
            }
            return host.length();
        }
    }

    /** Request method, exactly: HTTP methods are case-sensitive. */
    static final class Method extends RequestMatcher {
        private final String[] methods;

        Method(String[] methods) {
            this.methods = methods;
        }

        @Override
        boolean matches(RequestHead request, InetAddress client) {
            String method = request.method();
            for (String m : methods) {
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
            this.name = AsciiString.cached(name.toLowerCase(java.util.Locale.ROOT));
            this.values = values;
        }

        @Override
        boolean matches(RequestHead request, InetAddress client) {
            int field = request.field(name);
            if (field < 0) {
                return false;
            }
            boolean found = false;
            for (String expected : values) {
                found |= constantTimeEquals(request, field, expected);
            }
            return found;
        }

        /** Read in place from the head: no copy of the value, whose bytes a rule need not own. */
        private static boolean constantTimeEquals(RequestHead request, int field, String expected) {
            int length = request.valueLength(field);
            int diff = length ^ expected.length();
            for (int i = 0; i < expected.length(); i++) {
                int a = i < length ? request.valueByte(field, i) : 0;
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
        boolean matches(RequestHead request, InetAddress client) {
            for (Cidr network : networks) {
                if (network.contains(client)) {
                    return true;
                }
            }
            return false;
        }
    }
}
