package io.maintd.command;

import java.util.List;

/** What a shell offers when completing an option's value or a positional argument. */
public final class Completion {
    /** The kinds the shell renderers know how to express. */
    public enum Kind {
        /** Free text: offer nothing. */
        NOTHING,
        /** File names. */
        FILES,
        /** Group names. */
        GROUPS,
        /** A fixed list of words. */
        WORDS,
        /** The program's own command names. */
        COMMANDS,
        /** The lines the program itself prints when run with {@link #words} as arguments. */
        QUERY
    }

    public static final Completion NOTHING = new Completion(Kind.NOTHING, List.of());
    public static final Completion FILES = new Completion(Kind.FILES, List.of());
    public static final Completion GROUPS = new Completion(Kind.GROUPS, List.of());
    public static final Completion COMMANDS = new Completion(Kind.COMMANDS, List.of());

    public final Kind kind;
    /** The words for {@link Kind#WORDS}; the program's arguments for {@link Kind#QUERY}. */
    public final List<String> words;

    private Completion(Kind kind, List<String> words) {
        this.kind = kind;
        this.words = words;
    }

    public static Completion words(String... words) {
        return new Completion(Kind.WORDS, List.of(words));
    }

    /**
     * Candidates printed by the program itself, one per line, e.g. {@code query("list", "--names")}.
     * The program's global options that take a value (such as {@code --file}) are passed on
     * from the line being completed, so the candidates come from what that line would use.
     */
    public static Completion query(String... arguments) {
        return new Completion(Kind.QUERY, List.of(arguments));
    }
}
