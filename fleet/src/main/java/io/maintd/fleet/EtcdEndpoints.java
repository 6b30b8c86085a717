package io.maintd.fleet;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * etcd client URLs as operators write them: {@code http://10.0.0.5:2379}, several separated by
 * commas for flagctl, a YAML list for the daemon. Plain {@code http} only: the JSON gateway is
 * spoken without TLS here, so keep etcd's client port on a trusted network or loopback (a TLS
 * endpoint is refused with that advice rather than failing later in a handshake).
 */
public final class EtcdEndpoints {
    public static final int DEFAULT_PORT = 2379;

    private EtcdEndpoints() {
    }

    /** {@code a,b,c}; throws IllegalArgumentException naming the bad URL. */
    public static List<URI> parseList(String commaSeparated) {
        List<URI> endpoints = new ArrayList<>();
        for (String part : commaSeparated.split(",", -1)) {
            endpoints.add(parse(part));
        }
        return List.copyOf(endpoints);
    }

    /** One URL: {@code http://host[:port]}, no user, path, query or fragment; the port defaults to 2379. */
    public static URI parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty etcd endpoint (write http://HOST:2379)");
        }
        if (!t.contains("://")) {
            throw new IllegalArgumentException("etcd endpoint '" + Printable.of(t, 200) + "' has no scheme; write http://"
                    + Printable.of(t, 200));
        }
        URI uri;
        try {
            uri = new URI(t);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("etcd endpoint '" + Printable.of(t, 200) + "' is not a URL: " + e.getReason());
        }
        if ("https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("etcd endpoint '" + t + "': https is not supported; use http on a trusted"
                    + " network or loopback (e.g. a local TLS proxy to a remote etcd)");
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("etcd endpoint '" + Printable.of(t, 200) + "' is not http://HOST:PORT");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("etcd endpoint '" + Printable.of(t, 200)
                    + "' has a user, path, query or fragment; write http://HOST:PORT");
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        return URI.create("http://" + (uri.getHost().contains(":") && !uri.getHost().startsWith("[")
                ? "[" + uri.getHost() + "]" : uri.getHost()) + ":" + port);
    }
}
