package io.maintd.cli;

import java.util.List;

/** Options every command accepts, anywhere on the command line before {@code --}. */
final class GlobalOptions {
    static final String DEFAULT_FILE = "/var/lib/maintd/flags";
    static final String FILE_ENV = "MAINTD_FLAGS";

    static final Option FILE = Option.valued("file", 'f', "PATH",
            "the flag file (default: $" + FILE_ENV + ", else " + DEFAULT_FILE + ")");
    static final Option JSON = Option.toggle("json", (char) 0, "machine-readable output (JSON) on stdout");
    static final Option HELP = Option.toggle("help", 'h', "show help for the command and exit");

    static final List<Option> ALL = List.of(FILE, JSON, HELP);

    private GlobalOptions() {
    }
}
