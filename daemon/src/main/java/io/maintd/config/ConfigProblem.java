package io.maintd.config;

/**
 * One thing wrong with a configuration, located by its key path ({@code rules[1].if}) and,
 * when the YAML is at hand, by line and column (1-based; 0 when unknown).
 *
 * @param hint what to do about it ("did you mean 'listen'?"), or null
 */
public record ConfigProblem(String key, String message, int line, int column, String hint) {

    public static ConfigProblem of(String key, String message) {
        return new ConfigProblem(key, message, 0, 0, null);
    }

    public static ConfigProblem of(String key, String message, String hint) {
        return new ConfigProblem(key, message, 0, 0, hint);
    }

    public ConfigProblem at(int line, int column) {
        return new ConfigProblem(key, message, line, column, hint);
    }

    public boolean hasPosition() {
        return line > 0;
    }

    /** {@code conf/maintd.yaml: listne: unknown key 'listne' at line 3, column 1; did you mean 'listen'?} */
    public String describe(String source) {
        StringBuilder out = new StringBuilder();
        out.append(source).append(": ");
        if (key != null && !key.isEmpty()) {
            out.append(key).append(": ");
        }
        out.append(message);
        if (hasPosition()) {
            out.append(" at line ").append(line).append(", column ").append(column);
        }
        if (hint != null) {
            out.append("; ").append(hint);
        }
        return out.toString();
    }
}
