package io.maintd.fleet;

/**
 * Text from etcd (keys, values) as it may appear in a log line or an error: control and non-ASCII
 * characters as '?', cut after a limit, so hostile content can neither break the one-line-per-event
 * log nor flood it.
 */
public final class Printable {
    private Printable() {
    }

    public static String of(String text, int limit) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), limit) + 3);
        for (int i = 0; i < Math.min(text.length(), limit); i++) {
            char c = text.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return text.length() > limit ? b.append("...").toString() : b.toString();
    }

    /** A key: long enough for any key of the layout (prefix, names, flag). */
    public static String key(String key) {
        return of(key, 600);
    }
}
