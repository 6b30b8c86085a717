package io.maintd.cli;

/** Ends a command with a message for stderr and the exit code that classifies it. */
final class CliFailure extends RuntimeException {
    final ExitCode exitCode;

    CliFailure(ExitCode exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static CliFailure usage(String message) {
        return new CliFailure(ExitCode.USAGE, message);
    }
}
