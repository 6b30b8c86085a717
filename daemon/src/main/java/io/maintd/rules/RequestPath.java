package io.maintd.rules;

/**
 * The path of a request as the backend will resolve it, so that a path rule cannot be dodged by
 * writing the same path another way. One normalisation serves three uses: the proxy refuses what
 * it cannot resolve safely and forwards dot segments already resolved ({@link #resolve}), path
 * matchers compare their prefix with the resolved path ({@link #startsWith}), and the rule
 * compiler accepts only prefixes already in that form ({@link #matchedForm}).
 *
 * <p>Following RFC 3986 (sections 5.2.4 and 6.2.2) and what Tomcat and Jetty do by default:
 * <ul>
 *   <li>escapes of unreserved characters are decoded ({@code %2e} is a dot, {@code %61} an
 *       {@code a}); other escapes stay, with upper-case hex digits;</li>
 *   <li>empty segments are merged ({@code //} is {@code /});</li>
 *   <li>{@code .} and {@code ..} segments are removed, also when their dots are escaped or they
 *       carry path parameters ({@code ..;x}), which a servlet container strips before it
 *       resolves; a {@code ..} that would climb above the root is refused (Tomcat and nginx
 *       answer 400 too);</li>
 *   <li>a backslash, an escaped slash or backslash ({@code %2F}, {@code %5C}), an escaped NUL
 *       and a malformed escape are refused: backends disagree on whether a slash hidden that
 *       way separates segments (Tomcat, Jetty and Spring's firewall reject it by default).</li>
 * </ul>
 * Matchers also see every segment without its {@code ;parameters} ({@code /admin;jsessionid=1}
 * is matched as {@code /admin}), as a servlet container maps it; the backend still gets them.
 * The query is never touched.
 *
 * <p>A path none of this applies to (the usual case) is recognised in one scan and used as it
 * is, without allocating.
 */
public final class RequestPath {
    private RequestPath() {
    }

    /**
     * The target to forward: itself when its path has no dot segment, else with its path
     * normalised (parameters kept on the segments that remain); null when the path must be
     * refused. A target that is not origin-form ({@code *}) is returned as it is.
     */
    public static String resolve(String target) {
        if (isPlain(target)) {
            return target;
        }
        Normalised n = Normalised.of(target, false);
        if (n == null) {
            return null;
        }
        return n.removedDotSegments ? n.path + target.substring(queryStart(target)) : target;
    }

    /** True when the target's path, normalised and without parameters, starts with {@code prefix}. */
    static boolean startsWith(String target, String prefix) {
        if (isPlain(target)) {
            return target.startsWith(prefix);
        }
        Normalised n = Normalised.of(target, true);
        return n != null && n.path.startsWith(prefix);
    }

    /** The form a path prefix is compared in, or null when no request path could ever have it. */
    static String matchedForm(String prefix) {
        Normalised n = Normalised.of(prefix, true);
        return n == null ? null : n.path;
    }

    private static int queryStart(String target) {
        int q = target.indexOf('?');
        return q < 0 ? target.length() : q;
    }

    /** No escape, parameter, backslash, empty segment or dot segment: nothing to normalise. */
    private static boolean isPlain(String target) {
        if (target.isEmpty() || target.charAt(0) != '/') {
            return true;
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '?') {
                return true;
            }
            if (c == '%' || c == ';' || c == '\\') {
                return false;
            }
            if (c == '/' && i > 0 && target.charAt(i - 1) == '/') {
                return false;
            }
            if (c == '.' && target.charAt(i - 1) == '/' && isDotSegment(target, i)) {
                return false;
            }
        }
        return true;
    }

    /** "." or ".." as a whole segment, starting at {@code dot}. */
    private static boolean isDotSegment(String target, int dot) {
        int end = dot + 1;
        if (end < target.length() && target.charAt(end) == '.') {
            end++;
        }
        return end == target.length() || target.charAt(end) == '/' || target.charAt(end) == '?';
    }

    /** A path normalised segment by segment; {@link #of} returns null for a path that is refused. */
    private static final class Normalised {
        final String path;
        final boolean removedDotSegments;

        private Normalised(String path, boolean removedDotSegments) {
            this.path = path;
            this.removedDotSegments = removedDotSegments;
        }

        static Normalised of(String target, boolean withoutParameters) {
            int end = queryStart(target);
            StringBuilder out = new StringBuilder(end);
            // Where each kept segment starts in out, so ".." can drop the last one.
            int[] kept = new int[end];
            int depth = 0;
            boolean dotSegments = false;
            boolean trailingSlash = false;
            for (int at = 0; at < end; ) {
                int next = target.indexOf('/', at + 1);
                if (next < 0 || next > end) {
                    next = end;
                }
                String segment = decodeUnreserved(target, at + 1, next);
                if (segment == null) {
                    return null;
                }
                int parameters = segment.indexOf(';');
                String name = parameters < 0 ? segment : segment.substring(0, parameters);
                trailingSlash = false;
                if (name.equals(".") || name.equals("..")) {
                    dotSegments = true;
                    if (name.equals("..")) {
                        if (depth == 0) {
                            return null;
                        }
                        out.setLength(kept[--depth]);
                    }
                    trailingSlash = true;
                } else if ((withoutParameters ? name : segment).isEmpty()) {
                    trailingSlash = next == end;
                } else {
                    kept[depth++] = out.length();
                    out.append('/').append(withoutParameters ? name : segment);
                }
                at = next;
            }
            if (trailingSlash || out.length() == 0) {
                out.append('/');
            }
            return new Normalised(out.toString(), dotSegments);
        }

        /**
         * The segment between {@code from} and {@code to} with escaped unreserved characters
         * decoded and other escapes in upper case; null for a backslash, an escaped slash,
         * backslash or NUL, or a malformed escape.
         */
        private static String decodeUnreserved(String target, int from, int to) {
            StringBuilder out = new StringBuilder(to - from);
            for (int i = from; i < to; i++) {
                char c = target.charAt(i);
                if (c == '\\') {
                    return null;
                }
                if (c != '%') {
                    out.append(c);
                    continue;
                }
                int high = i + 2 < to ? hex(target.charAt(i + 1)) : -1;
                int low = high < 0 ? -1 : hex(target.charAt(i + 2));
                if (low < 0) {
                    return null;
                }
                char decoded = (char) (high << 4 | low);
                if (decoded == '/' || decoded == '\\' || decoded == 0) {
                    return null;
                }
                if (isUnreserved(decoded)) {
                    out.append(decoded);
                } else {
                    out.append('%').append(Character.toUpperCase(target.charAt(i + 1)))
                            .append(Character.toUpperCase(target.charAt(i + 2)));
                }
                i += 2;
            }
            return out.toString();
        }

        private static int hex(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            char lower = (char) (c | 0x20);
            return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
        }

        private static boolean isUnreserved(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
        }
    }
}
