package io.maintd.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's declarations: name, one-line summary, positional parameters, options and a few
 * lines of detail. Parsing, {@code --help}, the man page and completion all come from here, so
 * they cannot disagree.
 */
public final class CommandSpec {
    public final String name;
    public final String summary;
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<Option> options = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    /** Everything after the first positional is handed on verbatim: a command with commands of its own. */
    private boolean passesOn;

    private CommandSpec(String name, String summary) {
        this.name = name;
        this.summary = summary;
    }

    public static CommandSpec command(String name, String summary) {
        return new CommandSpec(name, summary);
    }

    public CommandSpec parameter(Parameter parameter) {
        parameters.add(parameter);
        return this;
    }

    public CommandSpec option(Option option) {
        options.add(option);
        return this;
    }

    /**
     * Options before the first positional (a command name) belong to this command; that name and
     * everything after it, options and {@code --} included, stay positional for the command it
     * names, as git's options before a subcommand do ({@code flagctl fleet --etcd URL set ...}).
     */
    public CommandSpec passingOn() {
        passesOn = true;
        return this;
    }

    public CommandSpec detail(String line) {
        details.add(line);
        return this;
    }

    public List<Option> options() {
        return Collections.unmodifiableList(options);
    }

    public List<Parameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    public List<String> details() {
        return Collections.unmodifiableList(details);
    }

    /**
     * Parses the arguments after the command name. Options may come before, between or after
     * positionals; {@code --} ends options. A leading minus followed by a digit is a number,
     * not an option, so {@code set weight -5} works.
     */
    Arguments parse(List<String> args, Program program) {
        List<String> positionals = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !looksLikeOption(arg) || passesOn && !positionals.isEmpty()) {
                positionals.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String inlineValue = null;
            Option option;
            if (arg.startsWith("--")) {
                String optionName = arg.substring(2);
                int eq = optionName.indexOf('=');
                if (eq >= 0) {
                    inlineValue = optionName.substring(eq + 1);
                    optionName = optionName.substring(0, eq);
                }
                option = find(optionName, (char) 0, program);
            } else {
                option = find(null, arg.charAt(1), program);
                if (arg.length() > 2) {
                    inlineValue = arg.substring(2);
                }
            }
            String command = program.name + " " + name;
            if (option == null) {
                throw new UsageException("unknown option " + arg + " for '" + command + "' (see " + command + " --help)");
            }
            String value;
            if (option.takesValue()) {
                if (inlineValue != null) {
                    value = inlineValue;
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException("option --" + option.name + " needs a value (" + option.valueName + ")");
                }
            } else if (inlineValue != null) {
                throw new UsageException("option --" + option.name + " takes no value");
            } else {
                value = "";
            }
            if (values.put(option.name, value) != null) {
                throw new UsageException("option --" + option.name + " given twice");
            }
        }
        Arguments parsed = new Arguments(this, positionals, values);
        if (!parsed.has(Program.HELP)) {
            checkPositionals(positionals, program);
        }
        return parsed;
    }

    private void checkPositionals(List<String> positionals, Program program) {
        int i = 0;
        for (Parameter p : parameters) {
            if (p.repeated) {
                return;
            }
            if (i >= positionals.size()) {
                if (p.required) {
                    throw new UsageException("missing " + p.name + "; usage: " + usage(program));
                }
                return;
            }
            i++;
        }
        if (i < positionals.size()) {
            throw new UsageException("unexpected argument \"" + positionals.get(i) + "\"; usage: " + usage(program));
        }
    }

    private static boolean looksLikeOption(String arg) {
        if (arg.length() < 2 || arg.charAt(0) != '-') {
            return false;
        }
        char second = arg.charAt(1);
        return !(second >= '0' && second <= '9');
    }

    /** By long name, or by letter when {@code optionName} is null; the command's own options first. */
    private Option find(String optionName, char letter, Program program) {
        Option own = find(options, optionName, letter);
        return own != null ? own : find(program.globals(), optionName, letter);
    }

    private static Option find(List<Option> in, String optionName, char letter) {
        for (Option o : in) {
            if (optionName != null ? o.name.equals(optionName) : o.letter == letter) {
                return o;
            }
        }
        return null;
    }

    /** {@code flagctl set NAME VALUE [--for DURATION] [--reason TEXT]}. */
    public String usage(Program program) {
        return usage(program.name + " " + name);
    }

    /** The usage line after {@code head}, which names the program and command. */
    String usage(String head) {
        StringBuilder b = new StringBuilder(head);
        for (Parameter p : parameters) {
            b.append(' ').append(p.synopsis());
        }
        for (Option o : options) {
            b.append(" [").append(o.synopsis()).append(']');
        }
        return b.toString();
    }
}
