package io.maintd.cli;

import io.maintd.flagfile.FlagFileException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code flagctl} entry point. It only wires: finds the command name among the global
 * options, lets the command's spec parse the rest, runs it, and turns failures into a line on
 * stderr and an exit code.
 */
public final class Flagctl {
    private Flagctl() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err, System.getenv());
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * Runs one command line; what {@code main} does minus the exit, so tests can call it
     * in-process. Output that could not be written fails the run: {@link PrintStream} only
     * remembers the error, and {@code flagctl list > /dev/full} must not exit 0.
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        int status = dispatch(args, out, err, env);
        if (out.checkError()) {
            err.println("flagctl: " + Invocation.OUTPUT_FAILED);
            return status == ExitCode.OK.code ? ExitCode.FAILURE.code : status;
        }
        return status;
    }

    private static int dispatch(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        CommandSet commands = CommandSet.standard();
        List<String> argv = new ArrayList<>(Arrays.asList(args));
        try {
            int at = commandIndex(argv);
            if (at < 0) {
                if (argv.contains("--help") || argv.contains("-h")) {
                    out.print(HelpCommand.overview(commands));
                    return ExitCode.OK.code;
                }
                throw CliFailure.usage("no command given; run 'flagctl --help' for the list");
            }
            Command command = commands.named(argv.remove(at));
            Arguments parsed = command.spec().parse(argv);
            if (parsed.has(GlobalOptions.HELP)) {
                out.print(command.spec().help());
                return ExitCode.OK.code;
            }
            return command.run(new Invocation(parsed, flagFile(parsed, env), out, err, env));
        } catch (CliFailure e) {
            err.println("flagctl: " + e.getMessage());
            return e.exitCode.code;
        } catch (FlagFileException e) {
            err.println("flagctl: " + e.getMessage());
            return FlagFileErrors.exitCode(e).code;
        }
    }

    /** The first word that is neither a global option nor the value of one; -1 if none. */
    private static int commandIndex(List<String> argv) {
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--file") || arg.equals("-f")) {
                i++;
            } else if (arg.equals("--")) {
                return i + 1 < argv.size() ? i + 1 : -1;
            } else if (!arg.startsWith("-") || arg.length() == 1) {
                return i;
            }
        }
        return -1;
    }

    private static Path flagFile(Arguments args, Map<String, String> env) {
        String path = args.value(GlobalOptions.FILE);
        if (path == null) {
            String fromEnv = env.get(GlobalOptions.FILE_ENV);
            path = fromEnv == null || fromEnv.isEmpty() ? GlobalOptions.DEFAULT_FILE : fromEnv;
        }
        if (path.isEmpty()) {
            throw CliFailure.usage("--file needs a path");
        }
        return Path.of(path);
    }
}
