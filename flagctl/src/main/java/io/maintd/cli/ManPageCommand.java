package io.maintd.cli;

import java.util.List;

/**
 * {@code flagctl manpage}: prints flagctl(1) in troff, generated from the command declarations
 * like help and completion. The build writes it to {@code flagctl/target/man/flagctl.1}.
 */
final class ManPageCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.command("manpage", "Print the flagctl(1) manual page (troff).")
            .detail("Install: flagctl manpage > /usr/local/share/man/man1/flagctl.1");

    private final CommandSet commands;

    ManPageCommand(CommandSet commands) {
        this.commands = commands;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        in.out.print(page());
        return ExitCode.OK.code;
    }

    String page() {
        StringBuilder b = new StringBuilder();
        b.append(".TH FLAGCTL 1 \"\" \"maintd\" \"User Commands\"\n")
                .append(".SH NAME\nflagctl \\- read and write maintd's flag file\n")
                .append(".SH SYNOPSIS\n.B flagctl\n[\\fB\\-\\-file\\fR \\fIPATH\\fR] [\\fB\\-\\-json\\fR] "
                        + "\\fICOMMAND\\fR [\\fIARGS\\fR...]\n")
                .append(".SH DESCRIPTION\n")
                .append("flagctl sets and reads the named integer flags in maintd's memory-mapped flag file "
                        + "(maint, drain, shed, ...) and the counters the daemon publishes. It works directly on "
                        + "the file; the daemon need not run. Output is for people unless \\fB\\-\\-json\\fR is given; "
                        + "errors and warnings go to standard error. Every write is appended to the audit log.\n")
                .append(".SH COMMANDS\n");
        for (Command c : commands.all()) {
            CommandSpec spec = c.spec();
            b.append(".TP\n.B ").append(text(spec.usage())).append('\n').append(text(spec.summary)).append('\n');
            if (!spec.details().isEmpty()) {
                b.append(".br\n").append(text(String.join(" ", spec.details()))).append('\n');
            }
            for (Option o : spec.options()) {
                b.append(".br\n\\fB").append(text(o.longForm().trim())).append("\\fR \\(em ").append(text(o.help))
                        .append('\n');
            }
        }
        b.append(".SH GLOBAL OPTIONS\n");
        options(b, GlobalOptions.ALL);
        b.append(".SH ENVIRONMENT\n.TP\n.B ").append(GlobalOptions.FILE_ENV)
                .append("\nThe flag file when \\fB\\-\\-file\\fR is not given.\n")
                .append(".TP\n.B FLAGCTL_JAVA_OPTS\nExtra JVM options appended by the bin/flagctl launcher.\n")
                .append(".SH EXIT STATUS\n");
        for (String[] row : ExitCodeTable.rows()) {
            b.append(".TP\n.B ").append(row[0]).append('\n').append(text(row[1])).append('\n');
        }
        b.append(".SH FILES\n.TP\n.I ").append(GlobalOptions.DEFAULT_FILE)
                .append("\nThe default flag file.\n.TP\n.I ").append(GlobalOptions.DEFAULT_FILE)
                .append(".log\nThe audit log: one logfmt line per write (time, user, uid, pid, op, flag, old, new, "
                        + "expires, reason).\n")
                .append(".SH SEE ALSO\nmaintd's docs/flagctl.md and docs/flagfile.md.\n");
        return b.toString();
    }

    private static void options(StringBuilder b, List<Option> options) {
        for (Option o : options) {
            b.append(".TP\n.B ").append(text(o.longForm().trim())).append('\n').append(text(o.help)).append('\n');
        }
    }

    /** Escapes text for troff: backslashes, hyphens (so they render as minus signs), leading dots. */
    static String text(String s) {
        String escaped = s.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
