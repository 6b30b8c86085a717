package io.maintd.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's declarations: name, one-line summary, positional parameters, options and a few
 * lines of detail. Parsing and {@code --help} both come from here, so they cannot disagree.
 */
final class CommandSpec {
    final String name;
    final String summary;
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<Option> options = new ArrayList<>();
    private final List<String> details = new ArrayList<>();
    /** Everything after the first positional is handed on verbatim: a command with commands of its own. */
    private boolean passesOn;

    private CommandSpec(String name, String summary) {
        this.name = name;
        this.summary = summary;
    }

    static CommandSpec command(String name, String summary) {
        return new CommandSpec(name, summary);
    }

    CommandSpec parameter(Parameter parameter) {
        parameters.add(parameter);
        return this;
    }

    CommandSpec option(Option option) {
        options.add(option);
        return this;
    }

    /**
     * Options before the first positional (a command name) belong to this command; that name and
     * everything after it, options and {@code --} included, stay positional for the command it
     * names, as git's options before a subcommand do.
     */
    CommandSpec passingOn() {
        passesOn = true;
        return this;
    }

    CommandSpec detail(String line) {
        details.add(line);
        return this;
    }

    List<Option> options() {
        return options;
    }

    List<Parameter> parameters() {
        return parameters;
    }

    List<String> details() {
        return details;
    }

    /**
     * Parses the arguments after the command name. Options may come before, between or after
     * positionals; {@code --} ends options. A leading minus followed by a digit is a number,
     * not an option, so {@code set weight -5} works.
     */
    Arguments parse(List<String> args) {
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
                String name = arg.substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inlineValue = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                option = byName(name);
            } else {
                option = byLetter(arg.charAt(1));
                if (arg.length() > 2) {
                    inlineValue = arg.substring(2);
                }
            }
            if (option == null) {
                throw CliFailure.usage("unknown option " + arg + " for 'flagctl " + name + "' (see flagctl " + name + " --help)");
            }
            String value;
            if (option.takesValue()) {
                if (inlineValue != null) {
                    value = inlineValue;
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw CliFailure.usage("option --" + option.name + " needs a value (" + option.valueName + ")");
                }
            } else if (inlineValue != null) {
                throw CliFailure.usage("option --" + option.name + " takes no value");
            } else {
                value = "";
            }
            if (values.put(option.name, value) != null) {
                throw CliFailure.usage("option --" + option.name + " given twice");
            }
        }
        Arguments parsed = new Arguments(this, positionals, values);
        if (!parsed.has(GlobalOptions.HELP)) {
            checkPositionals(positionals);
        }
        return parsed;
    }

    private void checkPositionals(List<String> positionals) {
        int i = 0;
        for (Parameter p : parameters) {
            if (p.repeated) {
                return;
            }
            if (i >= positionals.size()) {
                if (p.required) {
                    throw CliFailure.usage("missing " + p.name + "; usage: " + usage());
                }
                return;
            }
            i++;
        }
        if (i < positionals.size()) {
            throw CliFailure.usage("unexpected argument \"" + positionals.get(i) + "\"; usage: " + usage());
        }
    }

    private static boolean looksLikeOption(String arg) {
        if (arg.length() < 2 || arg.charAt(0) != '-') {
            return false;
        }
        char second = arg.charAt(1);
        return !(second >= '0' && second <= '9');
    }

    private Option byName(String optionName) {
        for (Option o : options) {
            if (o.name.equals(optionName)) {
                return o;
            }
        }
        for (Option o : GlobalOptions.ALL) {
            if (o.name.equals(optionName)) {
                return o;
            }
        }
        return null;
    }

    private Option byLetter(char letter) {
        for (Option o : options) {
            if (o.letter == letter) {
                return o;
            }
        }
        for (Option o : GlobalOptions.ALL) {
            if (o.letter == letter) {
                return o;
            }
        }
        return null;
    }

    String usage() {
        StringBuilder b = new StringBuilder("flagctl ").append(name);
        for (Parameter p : parameters) {
            b.append(' ').append(p.synopsis());
        }
        for (Option o : options) {
            b.append(" [").append(o.synopsis()).append(']');
        }
        return b.toString();
    }

    String help() {
        StringBuilder b = new StringBuilder();
        b.append("usage: ").append(usage()).append("\n\n").append(summary).append('\n');
        for (String line : details) {
            b.append(line).append('\n');
        }
        if (!parameters.isEmpty()) {
            b.append("\narguments:\n");
            List<String[]> rows = new ArrayList<>();
            for (Parameter p : parameters) {
                rows.add(new String[] {p.name, p.help});
            }
            TextTable.appendIndented(b, rows);
        }
        if (!options.isEmpty()) {
            b.append("\noptions:\n");
            TextTable.appendIndented(b, optionRows(options));
        }
        b.append("\nglobal options:\n");
        TextTable.appendIndented(b, optionRows(GlobalOptions.ALL));
        b.append("\nexit codes:\n");
        TextTable.appendIndented(b, ExitCodeTable.rows());
        return b.toString();
    }

    static List<String[]> optionRows(List<Option> options) {
        List<String[]> rows = new ArrayList<>();
        for (Option o : options) {
            rows.add(new String[] {o.longForm(), o.help});
        }
        return rows;
    }
}
