package io.maintd.command;

import java.util.List;

/** Left-aligned columns padded with spaces; for help text and {@code list}. */
public final class TextTable {
    private TextTable() {
    }

    /** Two-column rows under a heading, indented two spaces, the way help text lists things. */
    public static void appendIndented(StringBuilder b, List<String[]> rows) {
        int width = 0;
        for (String[] row : rows) {
            width = Math.max(width, row[0].length());
        }
        for (String[] row : rows) {
            b.append("  ");
            pad(b, row[0], width + 2);
            b.append(row[1]).append('\n');
        }
    }

    /** Rows of any width; the last column is not padded. */
    public static String render(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < columns - 1; c++) {
                pad(b, row[c], widths[c] + 2);
            }
            b.append(row[columns - 1]);
            while (b.length() > 0 && b.charAt(b.length() - 1) == ' ') {
                b.setLength(b.length() - 1);
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static void pad(StringBuilder b, String text, int width) {
        b.append(text);
        for (int i = text.length(); i < width; i++) {
            b.append(' ');
        }
    }
}
