package io.maintd.cli;

import io.maintd.command.Completion;
import io.maintd.command.Parameter;

/**
 * The NAME argument of the commands that take a flag, completed from the file in use: writing
 * commands are offered only operator flags, since flagctl refuses to write a daemon counter.
 */
final class FlagNameParameters {
    static final Parameter WRITABLE = Parameter.required("NAME", "an existing operator flag")
            .completes(Completion.query("list", "--names", "--writable"));
    static final Parameter ANY = Parameter.required("NAME", "a flag or a daemon counter")
            .completes(Completion.query("list", "--names"));

    private FlagNameParameters() {
    }
}
