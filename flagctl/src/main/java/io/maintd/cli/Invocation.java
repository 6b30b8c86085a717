package io.maintd.cli;

import io.maintd.command.Arguments;
import io.maintd.command.Program;
import io.maintd.flagfile.FlagFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** What a running command has to work with: its arguments, the flag file path and the output streams. */
final class Invocation {
    static final String OUTPUT_FAILED = "cannot write to standard output (disk full, or the reader went away)";

    final Program program;
    final Arguments args;
    final Path file;
    final boolean json;
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;

    Invocation(Program program, Arguments args, Path file, PrintStream out, PrintStream err, Map<String, String> env) {
        this.program = program;
        this.args = args;
        this.file = file;
        this.json = args.has(GlobalOptions.JSON);
        this.out = out;
        this.err = err;
        this.env = env;
    }

    FlagFile openForReading() {
        return FlagFile.openReadOnly(file);
    }

    FlagFile openForWriting() {
        return FlagFile.openReadWrite(file);
    }

    /** The positional argument at {@code index} parsed as a 64-bit flag value. */
    long integer(int index, String what) {
        return ArgumentValues.integer(what, args.positional(index));
    }

    /**
     * For commands that print until stopped: true once standard output can no longer be written
     * (a closed pipe), so they stop. Flushes first. {@link Flagctl#run} reports it.
     */
    boolean outputFailed() {
        return out.checkError();
    }

    void warn(String message) {
        err.println("flagctl: warning: " + message);
    }
}
