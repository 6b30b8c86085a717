package io.maintd.command;

/** A parsed command line: the command it names and its arguments, or a top-level --help or --version. */
public final class ParsedLine {
    /** Null for a top-level {@code --help} or {@code --version} that names no command. */
    public final CommandSpec command;
    /** Null when {@link #command} is. */
    public final Arguments arguments;
    private final boolean topHelp;
    private final boolean topVersion;

    ParsedLine(CommandSpec command, Arguments arguments) {
        this(command, arguments, false, false);
    }

    private ParsedLine(CommandSpec command, Arguments arguments, boolean topHelp, boolean topVersion) {
        this.command = command;
        this.arguments = arguments;
        this.topHelp = topHelp;
        this.topVersion = topVersion;
    }

    static ParsedLine topLevel(boolean help, boolean version) {
        return new ParsedLine(null, null, help, version);
    }

    public boolean wantsHelp() {
        return command == null ? topHelp : arguments.has(Program.HELP);
    }

    public boolean wantsVersion() {
        return command == null ? topVersion : arguments.has(Program.VERSION);
    }
}
