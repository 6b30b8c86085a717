package io.maintd.cli;

import io.maintd.command.Completion;
import io.maintd.command.Option;
import io.maintd.flagfile.FlagFile;
import java.util.List;

/** Options every command accepts, anywhere on the command line before {@code --}, besides --help and --version. */
final class GlobalOptions {
    static final String FILE_ENV = "MAINTD_FLAGS";

    static final Option FILE = Option.valued("file", 'f', "PATH",
            "the flag file (default: $" + FILE_ENV + ", else " + FlagFile.DEFAULT_PATH + ")").completes(Completion.FILES);
    static final Option JSON = Option.toggle("json", (char) 0, "machine-readable output (JSON) on stdout");

    static final List<Option> ALL = List.of(FILE, JSON);

    /** What a shell offers for a DURATION. */
    static final Completion DURATIONS = Completion.words("30s", "1m", "5m", "10m", "30m", "1h", "2h", "1d");

    private GlobalOptions() {
    }
}
