package io.maintd.cli;

import io.maintd.command.Arguments;
import io.maintd.command.CommandSpec;
import io.maintd.command.Option;
import io.maintd.flagfile.FlagFileLayout;
import io.maintd.fleet.FleetKeys;
import io.maintd.fleet.Scope;

/** {@code --all | --service S | --host H}: which hosts a fleet key applies to; exactly one is given. */
final class ScopeOptions {
    static final Option ALL = Option.toggle("all", (char) 0, "every host");
    static final Option SERVICE = Option.valued("service", 's', "SERVICE", "every host of one service (pool)");
    static final Option HOST = Option.valued("host", (char) 0, "HOST", "one host");

    private ScopeOptions() {
    }

    static CommandSpec declare(CommandSpec spec) {
        return spec.option(ALL).option(SERVICE).option(HOST);
    }

    static Scope of(Arguments args) {
        int given = (args.has(ALL) ? 1 : 0) + (args.has(SERVICE) ? 1 : 0) + (args.has(HOST) ? 1 : 0);
        if (given != 1) {
            throw CliFailure.usage("give exactly one of --all, --service SERVICE, --host HOST");
        }
        try {
            return args.has(ALL) ? Scope.all() : args.has(SERVICE) ? Scope.service(args.value(SERVICE)) : Scope.host(args.value(HOST));
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(e.getMessage());
        }
    }

    /** A flag name given as an argument, checked by the flag file's grammar. */
    static String flag(String text) {
        String problem = FlagFileLayout.nameProblem(text);
        if (problem != null) {
            throw CliFailure.usage(problem);
        }
        return text;
    }

    /** A service or host name given as an argument, checked by the layout's grammar. */
    static String name(String what, String text) {
        String problem = FleetKeys.nameProblem(what, text);
        if (problem != null) {
            throw CliFailure.usage(problem);
        }
        return text;
    }
}
