package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Parameter;
import io.maintd.json.JsonObject;
import io.maintd.fleet.FleetKeys;
import io.maintd.fleet.HostStatus;
import io.maintd.fleet.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/** {@code flagctl fleet wait HOST (inflight|conns) --le N [--timeout D]}: {@code flagctl wait}, on a host's published status. */
final class FleetWaitCommand implements FleetSubcommand {
    private static final CommandSpec SPEC = CommandSpec.command("wait",
                    "Wait until a host's published in-flight requests or connections are at most N.")
            .parameter(Parameter.required("HOST", "the host"))
            .parameter(Parameter.required("COUNTER", "inflight or conns"))
            .option(WaitCommand.LE).option(WaitCommand.TIMEOUT).option(ScopeOptions.SERVICE)
            .detail("Reads the status the host's maintd publishes (at most fleet.report-interval old, 1 s by default).")
            .detail("Exits 0 when it holds, 7 on timeout (default 60s), 11 for a host the fleet never saw.");

    private static final long DEFAULT_TIMEOUT_MILLIS = 60_000;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in, FleetSession fleet) {
        String host = ScopeOptions.name("host", in.args.positional(0));
        String counterName = in.args.positional(1);
        ToLongFunction<HostStatus> counter = counter(counterName);
        if (!in.args.has(WaitCommand.LE)) {
            throw CliFailure.usage("--le N is required");
        }
        long limit = ArgumentValues.integer("--le", in.args.value(WaitCommand.LE));
        long timeout = in.args.has(WaitCommand.TIMEOUT)
                ? ArgumentValues.durationMillis("--timeout", in.args.value(WaitCommand.TIMEOUT)) : DEFAULT_TIMEOUT_MILLIS;
        String service = in.args.has(ScopeOptions.SERVICE) ? ScopeOptions.name("service", in.args.value(ScopeOptions.SERVICE))
                : serviceOf(fleet, host);
        HostStatus status = fleet.awaitStatus(service, host, s -> counter.applyAsLong(s) <= limit, timeout);
        if (status == null) {
            HostStatus last = fleet.status(service, host);
            throw new CliFailure(ExitCode.TIMED_OUT, host + ": " + counterName + " is still "
                    + (last == null ? "unknown (no status: the host is not reporting)" : Long.toString(counter.applyAsLong(last)))
                    + " after " + DurationText.format(timeout));
        }
        if (in.json) {
            in.out.println(new JsonObject().put("host", host).put("service", service).put(counterName, counter.applyAsLong(status)));
        } else {
            in.out.println(host + ": " + counterName + " " + counter.applyAsLong(status));
        }
        return ExitCode.OK.code;
    }

    private static ToLongFunction<HostStatus> counter(String name) {
        switch (name) {
            case "inflight":
                return HostStatus::inflight;
            case "conns":
                return HostStatus::conns;
            default:
                throw CliFailure.usage("COUNTER \"" + name + "\" is not inflight or conns");
        }
    }

    /** The one service that has {@code host} as a member; without --service the host name must be unique. */
    static String serviceOf(FleetSession fleet, String host) {
        FleetKeys keys = fleet.keys;
        List<String> services = new ArrayList<>();
        for (KeyValue kv : fleet.await(fleet.client.rangePrefix(keys.membersRoot()), "read the fleet's members").kvs()) {
            try {
                FleetKeys.HostKey member = keys.parseHostKey(kv.key(), keys.membersRoot());
                if (member.host().equals(host)) {
                    services.add(member.service());
                }
            } catch (IllegalArgumentException malformed) {
                // Not a member key of ours; fleet status reports those.
            }
        }
        if (services.isEmpty()) {
            throw new CliFailure(ExitCode.NO_HOST, "no host " + host + " in the fleet under " + keys.prefix()
                    + " (it has never reported)");
        }
        if (services.size() > 1) {
            throw CliFailure.usage(host + " is in the services " + String.join(", ", services) + "; give --service");
        }
        return services.get(0);
    }
}
