package io.maintd.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Completion scripts for bash, zsh and fish, generated from a {@link Program}'s declarations so
 * they know every command and option the parser knows. What the three renderers share lives
 * here: which words take a value, and which command a line is in.
 */
public final class ShellCompletion {
    /** The shells a script can be generated for; the first is the default. */
    public static final List<String> SHELLS = List.of("bash", "zsh", "fish");

    private ShellCompletion() {
    }

    /** @throws UsageException for a shell not in {@link #SHELLS} */
    public static String script(Program program, String shell) {
        return switch (shell) {
            case "bash" -> BashCompletion.script(program);
            case "zsh" -> ZshCompletion.script(program);
            case "fish" -> FishCompletion.script(program);
            default -> throw new UsageException("no completion for shell \"" + shell + "\" (choose one of "
                    + String.join(", ", SHELLS) + ")");
        };
    }

    /** {@code --file -f}: the words that name an option, long form first. */
    static List<String> words(Option o) {
        List<String> words = new ArrayList<>();
        words.add("--" + o.name);
        if (o.letter != 0) {
            words.add("-" + o.letter);
        }
        return words;
    }

    static List<String> words(List<Option> options) {
        List<String> all = new ArrayList<>();
        for (Option o : options) {
            all.addAll(words(o));
        }
        return all;
    }

    /**
     * Every option of the program that takes a value, keyed by its words; where two commands
     * declare the same option word, the first declaration's completion is used.
     */
    static Map<String, Option> valued(Program program) {
        Map<String, Option> byWord = new LinkedHashMap<>();
        List<Option> all = new ArrayList<>(program.globals());
        for (CommandSpec c : program.commands()) {
            all.addAll(c.options());
        }
        for (Option o : all) {
            if (o.takesValue()) {
                for (String w : words(o)) {
                    byWord.putIfAbsent(w, o);
                }
            }
        }
        return byWord;
    }

    /** The global options that take a value: a query passes them on, and finding the command skips their values. */
    static List<Option> valuedGlobals(Program program) {
        List<Option> valued = new ArrayList<>();
        for (Option o : program.globals()) {
            if (o.takesValue()) {
                valued.add(o);
            }
        }
        return valued;
    }

    static List<String> commandNames(Program program) {
        List<String> names = new ArrayList<>();
        for (CommandSpec c : program.commands()) {
            names.add(c.name);
        }
        return names;
    }

    /** Shell-quotes {@code s} in single quotes, which every one of the three shells reads the same way. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
