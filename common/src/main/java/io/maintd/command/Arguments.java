package io.maintd.command;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A command line checked against its {@link CommandSpec}: positional values and options. */
public final class Arguments {
    private final CommandSpec spec;
    private final List<String> positionals;
    private final Map<String, String> options;

    Arguments(CommandSpec spec, List<String> positionals, Map<String, String> options) {
        this.spec = spec;
        this.positionals = positionals;
        this.options = new HashMap<>(options);
    }

    public CommandSpec spec() {
        return spec;
    }

    public boolean has(Option option) {
        return options.containsKey(option.name);
    }

    /** The option's value, or null when it was not given. */
    public String value(Option option) {
        return options.get(option.name);
    }

    public String value(Option option, String fallback) {
        String v = options.get(option.name);
        return v == null ? fallback : v;
    }

    /** The positional argument at {@code index}, or null when an optional one was left out. */
    public String positional(int index) {
        return index < positionals.size() ? positionals.get(index) : null;
    }

    /** Positional arguments from {@code index} on (for a repeated parameter). */
    public List<String> positionalsFrom(int index) {
        return index < positionals.size() ? positionals.subList(index, positionals.size()) : List.of();
    }
}
