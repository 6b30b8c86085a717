package io.maintd.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Markdown the docs use, as troff; ManPagesIT (dist) renders the real pages with groff. */
class MarkdownManPageTest {
    private static final String DOC = String.join("\n",
            "# thing.yaml — the thing's configuration",
            "",
            "Intro with `code`, **strong**, *emphasis* and a [link](other.md) that",
            "wraps over two lines.",
            "",
            "## Keys",
            "",
            "| key | default | meaning |",
            "|---|---|---|",
            "| `a.b` | `5s` | what a.b does, with a \\| pipe |",
            "",
            "- first item",
            "  continued",
            "1. numbered",
            "",
            "```yaml",
            ".dot: leading -dash \\\\",
            "```",
            "Non-ASCII → ≥ end.",
            "");

    @Test
    void rendersNameSectionsTablesListsAndCode() {
        String page = MarkdownManPage.render(DOC, "thing.yaml", 5);
        assertTrue(page.startsWith(".TH THING.YAML 5 "), page);
        assertTrue(page.contains(".SH NAME\nthing.yaml \\- the thing's configuration\n.SH DESCRIPTION\n"), page);
        assertTrue(page.contains("Intro with \\fBcode\\fR, \\fBstrong\\fR, \\fIemphasis\\fR and a link that wraps over two lines.\n"),
                page);
        assertTrue(page.contains(".SH KEYS\n"), page);
        assertTrue(page.contains(".TP\n\\fBa.b\\fR\ndefault: \\fB5s\\fR; what a.b does, with a | pipe\n"), page);
        assertTrue(page.contains(".IP \\(bu 2\nfirst item continued\n"), page);
        assertTrue(page.contains(".IP 1. 4\nnumbered\n"), page);
        assertTrue(page.contains(".nf\n\\&.dot: leading \\-dash \\e\\e\n.fi\n"), page);
        assertTrue(page.contains("Non\\-ASCII \\[u2192] \\[u2265] end."), page);
    }
}
