package io.maintd.flagfile;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code key=value} pairs on one line, values quoted when they hold spaces, quotes or '='.
 * The audit log is written in it: readable with tail and grep, parseable for {@code log --json}.
 */
public final class Logfmt {
    private Logfmt() {
    }

    public static void append(StringBuilder line, String key, String value) {
        if (line.length() > 0) {
            line.append(' ');
        }
        line.append(key).append('=');
        if (needsQuotes(value)) {
            line.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    line.append('\\').append(c);
                } else if (c == '\n') {
                    line.append("\\n");
                } else if (c < 0x20) {
                    line.append(' ');
                } else {
                    line.append(c);
                }
            }
            line.append('"');
        } else {
            line.append(value);
        }
    }

    private static boolean needsQuotes(String value) {
        if (value.isEmpty()) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '"' || c == '=' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    /** The pairs of one line, in order, as {key, value}; unparseable text ends the list. */
    public static List<String[]> parse(String line) {
        List<String[]> pairs = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            int eq = line.indexOf('=', i);
            if (i >= n || eq < 0) {
                break;
            }
            String key = line.substring(i, eq);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (i < n && line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    if (c == '\\' && i < n) {
                        char escaped = line.charAt(i++);
                        value.append(escaped == 'n' ? '\n' : escaped);
                    } else {
                        value.append(c);
                    }
                }
                i++;
            } else {
                while (i < n && line.charAt(i) != ' ') {
                    value.append(line.charAt(i++));
                }
            }
            pairs.add(new String[] {key, value.toString()});
        }
        return pairs;
    }
}
