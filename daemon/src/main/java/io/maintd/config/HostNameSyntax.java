package io.maintd.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Host names as a config writes them for matching a request's host (rules' {@code host:},
 * {@code admin.allowed-hosts}): a DNS name, {@code *.example.com} for any subdomain (as nginx's
 * {@code server_name}), or an IPv6 literal with or without brackets. Never a port: host matching
 * ignores it. Stored as the matchers compare them: lower case, no trailing dot, IPv6 literals in
 * brackets as in a Host header, {@code *.x} as the suffix {@code .x}.
 */
public final class HostNameSyntax {
    private static final Pattern HOST_NAME =
            Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?");

    private HostNameSyntax() {
    }

    /**
     * The stored form of {@code written}; a value that is not a host name is reported to
     * {@code problem} (message, hint or null) and comes back only lower-cased.
     */
    public static String normalize(String written, BiConsumer<String, String> problem) {
        String h = written.toLowerCase(Locale.ROOT);
        String bare = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        if (bare.indexOf(':') >= 0) {
            if (isIpv6Literal(bare)) {
                return "[" + bare + "]";
            }
            problem.accept("'" + written + "' is not a host name", "host matches ignore the port; write the name alone");
            return h;
        }
        if (!HOST_NAME.matcher(h).matches()) {
            problem.accept("'" + written + "' is not a host name", null);
            return h;
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.startsWith("*.") ? h.substring(1) : h;
    }

    /** The JDK parses a text with ':' as an IPv6 literal only, never as a name to look up. */
    private static boolean isIpv6Literal(String text) {
        try {
            return InetAddress.getByName(text) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
