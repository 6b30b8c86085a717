package io.maintd.cli;

import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagReader;
import io.maintd.syntax.ClosestName;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a flag name typed by a person. An unknown name is never created implicitly: it is
 * an error that names the closest known flag and lists the others.
 */
final class FlagLookup {
    private FlagLookup() {
    }

    static FlagHandle existing(FlagReader reader, String name) {
        Optional<FlagHandle> found = reader.find(name);
        if (found.isPresent()) {
            return found.get();
        }
        throw unknown(reader, name);
    }

    /** Like {@link #existing}, and refuses a counter the daemon publishes. */
    static FlagHandle writable(FlagReader reader, String name) {
        FlagHandle handle = existing(reader, name);
        if (handle.kind() == FlagKind.COUNTER) {
            throw new CliFailure(ExitCode.DENIED, "\"" + name + "\" is a counter published by the maintd daemon; "
                    + "it cannot be changed by hand (" + reader.path() + ")");
        }
        return handle;
    }

    static CliFailure unknown(FlagReader reader, String name) {
        List<String> known = reader.names();
        if (known.isEmpty()) {
            return new CliFailure(ExitCode.UNKNOWN_FLAG, "no flag \"" + name + "\"; " + reader.path()
                    + " has no flags yet (create one with: flagctl create " + name + ")");
        }
        String closest = ClosestName.to(name, known);
        String suggestion = closest == null ? "" : "; did you mean \"" + closest + "\"?";
        return new CliFailure(ExitCode.UNKNOWN_FLAG, "no flag \"" + name + "\"" + suggestion
                + " (known flags in " + reader.path() + ": " + String.join(", ", known) + ")");
    }
}
