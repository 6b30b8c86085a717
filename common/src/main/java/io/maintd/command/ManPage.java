package io.maintd.command;

import io.maintd.build.BuildInfo;
import java.util.List;
import java.util.Locale;

/**
 * A program's manual page in troff ({@code man(7)} macros), generated from its declarations like
 * help and completion: flagctl(1), maintd(8).
 */
public final class ManPage {
    private ManPage() {
    }

    public static String of(Program program) {
        StringBuilder b = new StringBuilder();
        // Ragged right: a command's usage longer than a line would otherwise be justified, and
        // "flagctl  follow" with two spaces is no longer what a reader searches for.
        b.append(header(program.name, program.manSection)).append(".ad l\n")
                .append(".SH NAME\n").append(program.name).append(" \\- ").append(text(program.summary)).append('\n')
                .append(".SH SYNOPSIS\n");
        CommandSpec dflt = program.defaultCommandSpec();
        if (dflt != null) {
            b.append(".B ").append(program.name).append("\n[\\fB").append(dflt.name).append("\\fR]");
            for (Option o : dflt.options()) {
                b.append(" [").append(synopsis(o)).append(']');
            }
            b.append("\n.br\n");
        }
        b.append(".B ").append(program.name).append('\n');
        for (Option o : program.globals()) {
            if (o != Program.HELP && o != Program.VERSION) {
                b.append('[').append(synopsis(o)).append("] ");
            }
        }
        b.append("\\fICOMMAND\\fR [\\fIARGS\\fR...]\n");
        b.append(".SH DESCRIPTION\n");
        for (int i = 0; i < program.description().size(); i++) {
            b.append(i == 0 ? "" : ".PP\n").append(text(program.description().get(i))).append('\n');
        }
        b.append(".SH COMMANDS\n");
        for (CommandSpec spec : program.commands()) {
            b.append(".TP\n.B ").append(text(spec.usage(program))).append('\n').append(text(spec.summary)).append('\n');
            if (!spec.details().isEmpty()) {
                b.append(".br\n").append(text(String.join(" ", spec.details()))).append('\n');
            }
            for (Option o : spec.options()) {
                b.append(".br\n\\fB").append(text(o.longForm().trim())).append("\\fR \\(em ").append(text(o.help))
                        .append('\n');
            }
        }
        b.append(".SH GLOBAL OPTIONS\n");
        for (Option o : program.globals()) {
            entry(b, o.longForm().trim(), o.help);
        }
        section(b, "ENVIRONMENT", program.environment());
        for (Program.Section s : program.sections()) {
            section(b, s.title().toUpperCase(Locale.ROOT), s.rows());
        }
        section(b, "EXIT STATUS", program.exitCodes());
        if (!program.files().isEmpty()) {
            b.append(".SH FILES\n");
            for (String[] row : program.files()) {
                b.append(".TP\n.I ").append(text(row[0])).append('\n').append(text(row[1])).append('\n');
            }
        }
        if (!program.seeAlso().isEmpty()) {
            b.append(".SH SEE ALSO\n").append(text(String.join(", ", program.seeAlso()))).append('\n');
        }
        return b.toString();
    }

    /** The {@code .TH} line: name, section, and the version in the footer. */
    public static String header(String name, int section) {
        String title = switch (section) {
            case 1 -> "User Commands";
            case 5 -> "File Formats";
            case 8 -> "System Administration";
            default -> "";
        };
        return ".TH " + name.toUpperCase(Locale.ROOT).replace("-", "\\-") + " " + section + " \"\" \"maintd "
                + BuildInfo.version() + "\" \"" + title + "\"\n";
    }

    private static void section(StringBuilder b, String title, List<String[]> rows) {
        if (!rows.isEmpty()) {
            b.append(".SH ").append(title).append('\n');
            for (String[] row : rows) {
                entry(b, row[0], row[1]);
            }
        }
    }

    private static void entry(StringBuilder b, String term, String meaning) {
        b.append(".TP\n.B ").append(text(term)).append('\n').append(text(meaning)).append('\n');
    }

    private static String synopsis(Option o) {
        return "\\fB\\-\\-" + text(o.name) + "\\fR" + (o.takesValue() ? " \\fI" + text(o.valueName) + "\\fR" : "");
    }

    /** Escapes text for troff: backslashes, hyphens (so they render as minus signs), leading dots. */
    public static String text(String s) {
        String escaped = s.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
