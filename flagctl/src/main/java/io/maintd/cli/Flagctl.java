package io.maintd.cli;

import io.maintd.command.Arguments;
import io.maintd.command.HelpText;
import io.maintd.command.ParsedLine;
import io.maintd.command.Program;
import io.maintd.command.UsageException;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagFileException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The {@code flagctl} entry point. It only wires: lets flagctl's {@link Program} find the command
 * and parse its arguments, runs it, and turns failures into a line on stderr and an exit code.
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
        Program program = commands.program();
        try {
            ParsedLine line = program.parse(Arrays.asList(args));
            if (line.wantsVersion()) {
                out.println(program.versionLine());
                return ExitCode.OK.code;
            }
            if (line.wantsHelp()) {
                out.print(line.command == null ? HelpText.overview(program) : HelpText.command(program, line.command));
                return ExitCode.OK.code;
            }
            Command command = commands.of(line.command);
            return command.run(new Invocation(program, line.arguments, flagFile(line.arguments, env), out, err, env));
        } catch (UsageException e) {
            err.println("flagctl: " + e.getMessage());
            return ExitCode.USAGE.code;
        } catch (CliFailure e) {
            err.println("flagctl: " + e.getMessage());
            return e.exitCode.code;
        } catch (FlagFileException e) {
            err.println("flagctl: " + e.getMessage());
            return FlagFileErrors.exitCode(e).code;
        }
    }

    private static Path flagFile(Arguments args, Map<String, String> env) {
        String path = args.value(GlobalOptions.FILE);
        if (path == null) {
            String fromEnv = env.get(GlobalOptions.FILE_ENV);
            path = fromEnv == null || fromEnv.isEmpty() ? FlagFile.DEFAULT_PATH : fromEnv;
        }
        if (path.isEmpty()) {
            throw CliFailure.usage("--file needs a path");
        }
        return Path.of(path);
    }
}
