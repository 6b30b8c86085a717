package io.maintd.syntax;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Socket addresses written {@code host:port}, with IPv6 literals in brackets:
 * {@code 0.0.0.0:8080}, {@code [::1]:9090}, {@code localhost:9001}. Names are resolved once,
 * here, as nginx and HAProxy do at start-up: a name that does not resolve is a config error
 * now rather than a 502 later.
 */
public final class AddressSyntax {
    private AddressSyntax() {
    }

    /**
     * @param allowPortZero true for addresses maintd binds (0 asks the kernel for a free port),
     *                      false for addresses it connects to
     * @throws IllegalArgumentException with a message fit to show after the key
     */
    public static InetSocketAddress parse(String text, boolean allowPortZero) {
        String t = text.strip();
        String host;
        String port;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + text + "' is not [ipv6]:port");
            }
            host = t.substring(1, close);
            port = t.substring(close + 2);
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException("'" + text + "': brackets are only for IPv6 addresses");
            }
        } else {
            int colon = t.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("'" + text + "' has no port (write host:port, e.g. 127.0.0.1:8080)");
            }
            if (t.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "': write IPv6 addresses in brackets, e.g. [::1]:8080");
            }
            host = t.substring(0, colon);
            port = t.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no host (use 0.0.0.0:PORT for every interface)");
        }
        int portNumber = parsePort(text, port, allowPortZero);
        try {
            return new InetSocketAddress(InetAddress.getByName(host), portNumber);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve host '" + host + "'");
        }
    }

    /**
     * The address as {@link #parse} reads it back: the host as written in the config (or the
     * numeric address when there was no name), IPv6 literals in brackets, then the port.
     */
    public static String format(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static int parsePort(String text, String port, boolean allowPortZero) {
        int min = allowPortZero ? 0 : 1;
        int value;
        try {
            value = port.isEmpty() || !port.chars().allMatch(Character::isDigit) ? -1 : Integer.parseInt(port);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < min || value > 65535) {
            throw new IllegalArgumentException("'" + text + "' has an invalid port '" + port + "' (" + min + "-65535)");
        }
        return value;
    }
}
