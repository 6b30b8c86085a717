package io.maintd.admin;

import io.maintd.syntax.AddressSyntax;
import io.maintd.net.ThrottledLog;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Who may use the admin page's actions. The Host header has already been checked against
 * {@code admin.allowed-hosts} (DNS rebinding, see {@link AllowedHosts}); this adds, in order:
 * <ol>
 *   <li><b>Actions are on</b> only with {@code admin.token} configured: otherwise every action is
 *       403, whoever asks, and the page is read-only.</li>
 *   <li><b>Same origin</b>: a browser names the page that sent a request. {@code Origin}, when
 *       present, must be this server ({@code http://} or {@code https://} and exactly the Host
 *       header), and {@code Sec-Fetch-Site}, when present, {@code same-origin} or {@code none}
 *       (typed by the user). A form on another site is refused before its token is even looked at:
 *       403. Clients that are not browsers (curl) send neither and go on to the token.</li>
 *   <li><b>The token</b>: {@code Authorization: Bearer TOKEN}, compared in constant time; 401
 *       with {@code WWW-Authenticate} otherwise. The page keeps it in its tab's session storage,
 *       where no other site's script can read it, and sends it as a header, which no cross-site
 *       form can set: so a forged request cannot carry it even if the checks above were passed.</li>
 * </ol>
 * Refusals are logged at WARNING, at most one line a second.
 */
final class ActionGuard {
    private static final System.Logger LOG = System.getLogger(ActionGuard.class.getName());
    private static final ThrottledLog REFUSALS = new ThrottledLog(LOG, System.Logger.Level.WARNING);

    /** Null when actions are off. */
    private final byte[] token;

    /** @param token {@code admin.token}, or null when actions are off */
    ActionGuard(String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.US_ASCII);
    }

    boolean actionsOn() {
        return token != null;
    }

    /** The refusal for this request, or null when it may act. */
    FullHttpResponse refusal(HttpHeaders headers, InetSocketAddress client) {
        if (token == null) {
            return refuse(client, HttpResponseStatus.FORBIDDEN, "actions are off: admin.token is not set in maintd.yaml,"
                    + " so the admin page is read-only");
        }
        String crossSite = crossSite(headers);
        if (crossSite != null) {
            return refuse(client, HttpResponseStatus.FORBIDDEN, crossSite);
        }
        if (!bearerMatches(headers.get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse refused = refuse(client, HttpResponseStatus.UNAUTHORIZED,
                    "actions need the admin token: send 'Authorization: Bearer TOKEN' (admin.token in maintd.yaml)");
            refused.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"maintd admin\"");
            return refused;
        }
        return null;
    }

    /** Why the request came from another site, or null when it did not. */
    private static String crossSite(HttpHeaders headers) {
        String fetchSite = headers.get("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return "cross-site request refused (Sec-Fetch-Site: " + fetchSite + ")";
        }
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return null;
        }
        String host = headers.get(HttpHeaderNames.HOST);
        String o = origin.toLowerCase(Locale.ROOT);
        String h = host == null ? null : host.strip().toLowerCase(Locale.ROOT);
        if (h == null || !(o.equals("http://" + h) || o.equals("https://" + h))) {
            return "cross-origin request refused (Origin " + origin + " is not this admin page)";
        }
        return null;
    }

    private boolean bearerMatches(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(presented, token);
    }

    private static FullHttpResponse refuse(InetSocketAddress client, HttpResponseStatus status, String why) {
        REFUSALS.log(() -> "admin: refused an action from " + AddressSyntax.format(client) + " with " + status.code() + ": " + why);
        return TextResponse.of(status, why + "\n");
    }
}
