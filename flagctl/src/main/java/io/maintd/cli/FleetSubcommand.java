package io.maintd.cli;

import io.maintd.command.CommandSpec;

/** One {@code flagctl fleet} command: its declarations, and what it does given a session with etcd. */
interface FleetSubcommand {
    CommandSpec spec();

    int run(Invocation in, FleetSession fleet);
}
