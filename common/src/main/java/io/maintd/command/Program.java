package io.maintd.command;

import io.maintd.build.BuildInfo;
import io.maintd.syntax.ClosestName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One program's whole command line: its global options, its commands, and what its help and
 * man page say beyond them (description, exit codes, environment, files, signals). Built once,
 * as constants, by the program's entry point.
 *
 * <p>{@code --help} ({@code -h}) and {@code --version} are global options of every program.
 */
public final class Program {
    public static final Option HELP = Option.toggle("help", 'h', "show help for the command and exit");
    public static final Option VERSION = Option.toggle("version", (char) 0, "print the version and build commit and exit");

    /** A titled list of rows: exit codes, environment, files, signals. */
    public record Section(String title, List<String[]> rows) {
    }

    public final String name;
    /** The man page section: 1 for user commands, 8 for daemons. */
    public final int manSection;
    /** One line: what the program is, for help and the man page's NAME. */
    public final String summary;
    private final List<String> description = new ArrayList<>();
    private final List<Option> globals = new ArrayList<>();
    private final List<CommandSpec> commands = new ArrayList<>();
    private CommandSpec defaultCommand;
    private final List<String[]> exitCodes = new ArrayList<>();
    private final List<String[]> environment = new ArrayList<>();
    private final List<String[]> files = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();
    private final List<String> seeAlso = new ArrayList<>();

    private Program(String name, int manSection, String summary) {
        this.name = name;
        this.manSection = manSection;
        this.summary = summary;
    }

    public static Program named(String name, int manSection, String summary) {
        return new Program(name, manSection, summary);
    }

    /** A paragraph of the description, shown by {@code --help} and the man page. */
    public Program describe(String paragraph) {
        description.add(paragraph);
        return this;
    }

    public Program global(Option option) {
        globals.add(option);
        return this;
    }

    public Program command(CommandSpec spec) {
        commands.add(spec);
        return this;
    }

    /**
     * The command that runs when the line starts with an option instead of a command name, as
     * {@code maintd --config FILE} runs {@code maintd serve --config FILE}.
     */
    public Program defaultCommand(CommandSpec spec) {
        command(spec);
        defaultCommand = spec;
        return this;
    }

    public Program exitCode(int code, String meaning) {
        exitCodes.add(new String[] {Integer.toString(code), meaning});
        return this;
    }

    public Program environment(String variable, String meaning) {
        environment.add(new String[] {variable, meaning});
        return this;
    }

    public Program file(String path, String meaning) {
        files.add(new String[] {path, meaning});
        return this;
    }

    /** A section of its own in help and man page, e.g. the signals a daemon handles. */
    public Program section(String title, List<String[]> rows) {
        sections.add(new Section(title, rows));
        return this;
    }

    /** A reference for the man page's SEE ALSO, such as {@code maintd(8)}. */
    public Program seeAlso(String reference) {
        seeAlso.add(reference);
        return this;
    }

    /** The declared global options, then {@link #HELP} and {@link #VERSION}. */
    public List<Option> globals() {
        List<Option> all = new ArrayList<>(globals);
        all.add(HELP);
        all.add(VERSION);
        return all;
    }

    public List<CommandSpec> commands() {
        return Collections.unmodifiableList(commands);
    }

    /** Null when the program has none. */
    public CommandSpec defaultCommandSpec() {
        return defaultCommand;
    }

    public List<String> description() {
        return Collections.unmodifiableList(description);
    }

    public List<String[]> exitCodes() {
        return Collections.unmodifiableList(exitCodes);
    }

    public List<String[]> environment() {
        return Collections.unmodifiableList(environment);
    }

    public List<String[]> files() {
        return Collections.unmodifiableList(files);
    }

    public List<Section> sections() {
        return Collections.unmodifiableList(sections);
    }

    public List<String> seeAlso() {
        return Collections.unmodifiableList(seeAlso);
    }

    /** {@code flagctl 0.3.0 (commit 1a2b3c4d5e6f)}: what {@code --version} prints. */
    public String versionLine() {
        return name + " " + BuildInfo.version() + " (commit " + BuildInfo.commit() + ")";
    }

    /**
     * Finds the command among the global options and parses the rest against its spec.
     *
     * @throws UsageException for an unknown command or option, a missing or extra argument
     */
    public ParsedLine parse(List<String> argv) {
        List<String> rest = new ArrayList<>(argv);
        int at = commandIndex(rest);
        if (at < 0) {
            if (rest.contains("--" + HELP.name) || rest.contains("-" + HELP.letter)) {
                return ParsedLine.topLevel(true, false);
            }
            if (rest.contains("--" + VERSION.name)) {
                return ParsedLine.topLevel(false, true);
            }
            if (defaultCommand != null) {
                return new ParsedLine(defaultCommand, defaultCommand.parse(rest, this));
            }
            throw new UsageException("no command given; run '" + name + " --help' for the list");
        }
        CommandSpec spec = named(rest.remove(at));
        return new ParsedLine(spec, spec.parse(rest, this));
    }

    /** The command called {@code commandName}; an unknown name is a usage error with a suggestion. */
    public CommandSpec named(String commandName) {
        List<String> names = new ArrayList<>();
        for (CommandSpec c : commands) {
            if (c.name.equals(commandName)) {
                return c;
            }
            names.add(c.name);
        }
        String closest = ClosestName.to(commandName, names);
        throw new UsageException("unknown command \"" + commandName + "\""
                + (closest == null ? "" : "; did you mean \"" + closest + "\"?") + " (see " + name + " --help)");
    }

    /**
     * The first word that is neither a global option nor the value of one; -1 if none. With a
     * default command only the first word can name a command, since the default command's own
     * options ({@code --config FILE}) take values this method does not know about.
     */
    private int commandIndex(List<String> argv) {
        if (defaultCommand != null) {
            return !argv.isEmpty() && !argv.get(0).startsWith("-") ? 0 : -1;
        }
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (takesSeparateValue(arg)) {
                i++;
            } else if (arg.equals("--")) {
                return i + 1 < argv.size() ? i + 1 : -1;
            } else if (!arg.startsWith("-") || arg.length() == 1) {
                return i;
            }
        }
        return -1;
    }

    private boolean takesSeparateValue(String arg) {
        for (Option o : globals) {
            if (o.takesValue() && (arg.equals("--" + o.name) || (o.letter != 0 && arg.equals("-" + o.letter)))) {
                return true;
            }
        }
        return false;
    }
}
