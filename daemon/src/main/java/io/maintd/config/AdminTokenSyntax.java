package io.maintd.config;

/**
 * {@code admin.token}: the secret the admin page's actions must present as
 * {@code Authorization: Bearer TOKEN}. At least {@value #MIN_LENGTH} characters of the header's
 * token68 alphabet (RFC 9110 §11.2: letters, digits, {@code -._~+/}, trailing {@code =}), so it
 * travels in a header unchanged and is long enough not to be guessed through the loopback port.
 * An empty value ({@code token: "${MAINTD_ADMIN_TOKEN:-}"}) turns actions off. Messages never
 * repeat the value: it is a secret, and config errors end up in logs.
 */
public final class AdminTokenSyntax {
    static final int MIN_LENGTH = 16;

    private AdminTokenSyntax() {
    }

    /** The token, or null when {@code text} is empty (actions off). */
    public static String parse(String text) {
        if (text.isEmpty()) {
            return null;
        }
        if (text.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("is " + text.length() + " characters; an admin token needs at least "
                    + MIN_LENGTH + " (e.g. the output of 'openssl rand -hex 16')");
        }
        int padding = text.length();
        while (padding > 0 && text.charAt(padding - 1) == '=') {
            padding--;
        }
        for (int i = 0; i < padding; i++) {
            char c = text.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!allowed) {
                throw new IllegalArgumentException("has a character that cannot travel in a bearer token at position "
                        + (i + 1) + "; use letters, digits and -._~+/ (e.g. the output of 'openssl rand -hex 16')");
            }
        }
        if (padding == 0) {
            throw new IllegalArgumentException("is only '=' padding; use letters, digits and -._~+/");
        }
        return text;
    }
}
