package io.maintd.admin;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The Host headers the admin port answers, against DNS rebinding: a page served from an
 * attacker's name that later resolves to 127.0.0.1 can make a browser send requests to the admin
 * port and read the answers, but the browser still sends the attacker's name as Host. Allowed:
 * <ul>
 *   <li>no Host at all: HTTP/1.0 health checkers send none, and a browser always sends one;</li>
 *   <li>an IP literal: a page can only reach an address by its literal as its own origin, which
 *       is no rebinding;</li>
 *   <li>{@code localhost} and {@code *.localhost}, which browsers resolve to loopback themselves
 *       (RFC 6761);</li>
 *   <li>the names in {@code admin.allowed-hosts} (the names a load balancer or Prometheus uses).</li>
 * </ul>
 * Vite's {@code server.allowedHosts} and webpack-dev-server's {@code allowedHosts} follow the same
 * rule. The port is ignored.
 */
final class AllowedHosts {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+]");
    private static final Pattern PORT = Pattern.compile(":\\d{0,5}");

    /** As {@link io.maintd.config.HostNameSyntax} stores them: exact names, or {@code .suffix}. */
    private final List<String> names;

    AllowedHosts(List<String> names) {
        this.names = List.copyOf(names);
    }

    boolean allows(String hostHeader) {
        if (hostHeader == null) {
            return true;
        }
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        int portStart = host.startsWith("[") ? host.indexOf(']') + 1 : host.indexOf(':');
        if (portStart > 0 && portStart < host.length()) {
            if (!PORT.matcher(host.substring(portStart)).matches()) {
                return false;
            }
            host = host.substring(0, portStart);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (IPV4.matcher(host).matches() || IPV6.matcher(host).matches()
                || host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        for (String name : names) {
            if (name.startsWith(".") ? host.length() > name.length() && host.endsWith(name) : host.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
