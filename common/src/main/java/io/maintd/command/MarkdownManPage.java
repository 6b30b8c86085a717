package io.maintd.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A manual page made from one of the project's Markdown documents, so a reference such as
 * docs/config.md is written once and read both on the web and with {@code man 5 maintd.yaml}.
 * It knows the Markdown the docs use: headings, paragraphs, lists, fenced code, tables (each row
 * becomes a tagged paragraph), inline code, emphasis and links (their text is kept).
 *
 * <p>Run by the build: {@code java io.maintd.command.MarkdownManPage SOURCE.md NAME SECTION > PAGE}.
 */
public final class MarkdownManPage {
    private final StringBuilder out = new StringBuilder();
    /** The paragraph or list item being read: Markdown wraps them over several lines. */
    private final StringBuilder pending = new StringBuilder();
    private String pendingMacro = "";
    private List<String> tableHeader;
    private boolean inCode;

    private MarkdownManPage() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: MarkdownManPage SOURCE.md NAME SECTION");
            System.exit(2);
        }
        System.out.print(render(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8), args[1],
                Integer.parseInt(args[2])));
    }

    /** The page in troff: NAME from the document's first heading, then its sections. */
    public static String render(String markdown, String name, int section) {
        MarkdownManPage page = new MarkdownManPage();
        page.out.append(ManPage.header(name, section));
        boolean named = false;
        for (String line : markdown.split("\n", -1)) {
            if (!named && line.startsWith("# ")) {
                String title = line.substring(2);
                int dash = title.indexOf(" — ");
                page.out.append(".SH NAME\n").append(ManPage.text(name)).append(" \\- ")
                        .append(ManPage.text(dash >= 0 ? title.substring(dash + 3) : title)).append("\n.SH DESCRIPTION\n");
                named = true;
            } else {
                page.line(line);
            }
        }
        page.flush();
        return page.out.toString();
    }

    private void line(String line) {
        if (line.startsWith("```")) {
            flush();
            out.append(inCode ? ".fi\n.RE\n" : ".PP\n.RS 4\n.nf\n");
            inCode = !inCode;
            return;
        }
        if (inCode) {
            out.append(line.isEmpty() ? "" : "\\&" + escape(line)).append('\n');
            return;
        }
        String trimmed = line.strip();
        if (!trimmed.startsWith("|")) {
            tableHeader = null;
        }
        if (trimmed.isEmpty()) {
            flush();
            out.append(".PP\n");
        } else if (line.startsWith("### ")) {
            flush();
            out.append(".SS ").append(inline(line.substring(4))).append('\n');
        } else if (line.startsWith("## ")) {
            flush();
            out.append(".SH ").append(inline(line.substring(3)).toUpperCase(java.util.Locale.ROOT)).append('\n');
        } else if (trimmed.startsWith("|")) {
            flush();
            tableRow(cells(trimmed));
        } else if (line.startsWith("- ")) {
            flush();
            pendingMacro = ".IP \\(bu 2\n";
            pending.append(line.substring(2));
        } else if (line.matches("\\d+\\. .*")) {
            flush();
            pendingMacro = ".IP " + line.substring(0, line.indexOf('.') + 1) + " 4\n";
            pending.append(line.substring(line.indexOf(' ') + 1));
        } else {
            pending.append(pending.length() == 0 ? "" : " ").append(trimmed);
        }
    }

    private void flush() {
        if (pending.length() > 0) {
            out.append(pendingMacro).append(inline(pending.toString())).append('\n');
        }
        pending.setLength(0);
        pendingMacro = "";
    }

    /** The first row names the columns; the separator is skipped; each further row is a tagged paragraph. */
    private void tableRow(List<String> cells) {
        if (tableHeader == null) {
            tableHeader = cells;
            return;
        }
        if (cells.stream().allMatch(c -> c.matches(":?-+:?"))) {
            return;
        }
        out.append(".TP\n").append(inline(cells.get(0))).append('\n');
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < cells.size(); i++) {
            boolean last = i == cells.size() - 1;
            String heading = i < tableHeader.size() ? tableHeader.get(i) : "";
            body.append(last || heading.isEmpty() ? "" : heading + ": ").append(cells.get(i)).append(last ? "" : "; ");
        }
        out.append(inline(body.toString())).append('\n');
    }

    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean code = false;
        for (int i = 1; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c == '`') {
                code = !code;
            }
            if (c == '\\' && i + 1 < row.length() && row.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|' && !code) {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        return cells;
    }

    /** Inline code and strong emphasis in bold, emphasis in italics, links as their text; troff escaped. */
    static String inline(String text) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int end;
            if (c == '`' && (end = text.indexOf('`', i + 1)) > i) {
                b.append("\\fB").append(escape(text.substring(i + 1, end))).append("\\fR");
                i = end + 1;
            } else if (text.startsWith("**", i) && (end = text.indexOf("**", i + 2)) > i) {
                b.append("\\fB").append(inline(text.substring(i + 2, end))).append("\\fR");
                i = end + 2;
            } else if (c == '*' && (end = text.indexOf('*', i + 1)) > i + 1 && !Character.isWhitespace(text.charAt(i + 1))) {
                b.append("\\fI").append(inline(text.substring(i + 1, end))).append("\\fR");
                i = end + 1;
            } else if (c == '[' && (end = text.indexOf("](", i)) > i && text.indexOf(')', end) > end) {
                b.append(inline(text.substring(i + 1, end)));
                i = text.indexOf(')', end) + 1;
            } else {
                b.append(escape(String.valueOf(c)));
                i++;
            }
        }
        String s = b.toString();
        return s.startsWith(".") || s.startsWith("'") ? "\\&" + s : s;
    }

    /** Backslashes and hyphens escaped; anything beyond ASCII as a groff Unicode escape. */
    private static String escape(String text) {
        StringBuilder b = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == '\\') {
                b.append("\\e");
            } else if (c == '-') {
                b.append("\\-");
            } else if (c > 126) {
                b.append(String.format("\\[u%04X]", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
