package io.maintd.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code --help} text: the program's overview, and one command's usage, from the declarations. */
public final class HelpText {
    private HelpText() {
    }

    /** What {@code PROGRAM --help} prints. */
    public static String overview(Program program) {
        StringBuilder b = new StringBuilder("usage: ");
        CommandSpec dflt = program.defaultCommandSpec();
        if (dflt != null) {
            b.append(dflt.usage(program.name + " [" + dflt.name + "]")).append("\n       ");
        }
        b.append(program.name);
        for (Option o : program.globals()) {
            if (o != Program.HELP && o != Program.VERSION) {
                b.append(" [").append(o.synopsis()).append(']');
            }
        }
        b.append(" COMMAND [ARGS...]\n\n");
        for (String paragraph : program.description()) {
            b.append(paragraph).append('\n');
        }
        b.append("\ncommands:\n");
        List<String[]> rows = new ArrayList<>();
        for (CommandSpec c : program.commands()) {
            rows.add(new String[] {c.name, c.summary});
        }
        TextTable.appendIndented(b, rows);
        b.append("\nglobal options:\n");
        TextTable.appendIndented(b, optionRows(program.globals()));
        section(b, "environment", program.environment());
        for (Program.Section s : program.sections()) {
            section(b, s.title().toLowerCase(Locale.ROOT), s.rows());
        }
        section(b, "exit codes", program.exitCodes());
        b.append("\nRun '").append(program.name).append(" COMMAND --help' for a command's arguments and options.\n");
        return b.toString();
    }

    /** What {@code PROGRAM COMMAND --help} prints. */
    public static String command(Program program, CommandSpec spec) {
        StringBuilder b = new StringBuilder();
        b.append("usage: ").append(spec.usage(program)).append("\n\n").append(spec.summary).append('\n');
        for (String line : spec.details()) {
            b.append(line).append('\n');
        }
        if (!spec.parameters().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            for (Parameter p : spec.parameters()) {
                rows.add(new String[] {p.name, p.help});
            }
            section(b, "arguments", rows);
        }
        if (!spec.options().isEmpty()) {
            section(b, "options", optionRows(spec.options()));
        }
        section(b, "global options", optionRows(program.globals()));
        section(b, "exit codes", program.exitCodes());
        return b.toString();
    }

    private static void section(StringBuilder b, String title, List<String[]> rows) {
        if (!rows.isEmpty()) {
            b.append('\n').append(title).append(":\n");
            TextTable.appendIndented(b, rows);
        }
    }

    static List<String[]> optionRows(List<Option> options) {
        List<String[]> rows = new ArrayList<>();
        for (Option o : options) {
            rows.add(new String[] {o.longForm(), o.help});
        }
        return rows;
    }
}
