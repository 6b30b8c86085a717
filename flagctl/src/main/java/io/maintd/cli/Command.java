package io.maintd.cli;

import io.maintd.command.CommandSpec;

/** One subcommand: its declarations, and what it does with a parsed command line. */
interface Command {
    CommandSpec spec();

    /** Runs the command; returns the exit status. Failures are thrown as {@link CliFailure}. */
    int run(Invocation in);
}
