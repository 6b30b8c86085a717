package io.maintd.config;

import java.util.List;

/**
 * A configuration that cannot be used. It carries every problem found, not just the first,
 * so an operator fixes a file in one round (like {@code haproxy -c}); the message has one
 * line per problem, each naming the file, the key and the position.
 */
public final class ConfigException extends RuntimeException {
    private final String source;
    private final List<ConfigProblem> problems;

    public ConfigException(String source, List<ConfigProblem> problems) {
        super(describe(source, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String source, ConfigProblem problem) {
        this(source, List.of(problem));
    }

    /** The file (or label) the configuration came from. */
    public String source() {
        return source;
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(String source, List<ConfigProblem> problems) {
        StringBuilder out = new StringBuilder();
        for (ConfigProblem p : problems) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(p.describe(source));
        }
        return out.toString();
    }
}
