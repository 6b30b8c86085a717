package io.maintd.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Expands {@code ${VAR}} and {@code ${VAR:-default}} in a config value from an environment
 * map, the way docker compose and systemd's environment files read. {@code $$} is a literal
 * {@code $}, for the rare value (a password) that needs one before a brace.
 */
public final class EnvExpansion {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EnvExpansion() {
    }

    /** @throws IllegalArgumentException naming the variable that is missing or malformed */
    public static String expand(String text, Map<String, String> env) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
            } else if (text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (text.charAt(i + 1) == '{') {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("'${' without a closing '}' (write $$ for a literal $)");
                }
                out.append(lookup(text.substring(i + 2, close), env));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String lookup(String reference, Map<String, String> env) {
        int dflt = reference.indexOf(":-");
        String name = dflt < 0 ? reference : reference.substring(0, dflt);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'${" + reference + "}' is not a valid environment variable reference");
        }
        String value = env.get(name);
        if (value != null) {
            return value;
        }
        if (dflt >= 0) {
            return reference.substring(dflt + 2);
        }
        throw new IllegalArgumentException("environment variable " + name + " is not set (or write ${" + name
                + ":-default})");
    }
}
