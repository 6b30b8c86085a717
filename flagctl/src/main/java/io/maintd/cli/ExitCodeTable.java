package io.maintd.cli;

import java.util.ArrayList;
import java.util.List;

/** The exit code table as help text rows, built from {@link ExitCode} so the two never drift. */
final class ExitCodeTable {
    private ExitCodeTable() {
    }

    static List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        for (ExitCode c : ExitCode.values()) {
            rows.add(new String[] {Integer.toString(c.code), c.meaning});
        }
        rows.add(new String[] {Integer.toString(ExitCode.INTERRUPTED), "watch/wait stopped by SIGINT (Ctrl-C)"});
        return rows;
    }
}
