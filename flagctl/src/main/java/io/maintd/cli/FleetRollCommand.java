package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Option;
import io.maintd.command.Parameter;
import io.maintd.fleet.HostStatus;
import io.maintd.fleet.PoolView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code flagctl fleet roll --service S [--max-unavailable N] [--drain-timeout D] -- HOOK ARGS...}:
 * the seed's rolling upgrade across a pool. Host by host, in name order: drain within the budget,
 * wait until its published in-flight count is 0, run HOOK with {@code {host}} replaced, undrain,
 * wait until it reports ready. The first step that fails stops the roll with that host left
 * drained, and the message says where it stopped and how to resume.
 */
final class FleetRollCommand implements FleetSubcommand {
    static final Option DRAIN_TIMEOUT = Option.valued("drain-timeout", (char) 0, "DURATION",
            "how long to wait for the budget and then for in-flight 0 on each host (default 60s)");
    static final Option READY_TIMEOUT = Option.valued("ready-timeout", (char) 0, "DURATION",
            "how long to wait for a host to report ready after the hook (default 2m)");
    static final Option LEAD_TIME = Option.valued("lead-time", (char) 0, "DURATION",
            "after draining, wait this long for load balancers to notice before waiting for in-flight 0 (default 0)");
    static final Option FROM = Option.valued("from", (char) 0, "HOST", "start at this host (to resume a roll that stopped)");

    private static final CommandSpec SPEC = CommandSpec.command("roll",
                    "Upgrade a pool host by host: drain (within the budget), in-flight 0, HOOK, undrain, ready.")
            .parameter(Parameter.repeated("HOOK", "after --: the command to run per host; {host} is replaced by its name"))
            .option(ScopeOptions.SERVICE).option(FleetDrainCommand.MAX_UNAVAILABLE).option(DRAIN_TIMEOUT)
            .option(READY_TIMEOUT).option(LEAD_TIME).option(FROM).option(FleetSetCommand.REASON)
            .detail("e.g. flagctl fleet roll --service web -- ssh {host} apt-get install -y maintd=1.2")
            .detail("Stops at the first failure (exit 12) leaving that host drained; the message says how to resume.");

    private static final long DEFAULT_DRAIN_TIMEOUT = 60_000;
    private static final long DEFAULT_READY_TIMEOUT = 120_000;
    private static final long BUDGET_RETRY_MILLIS = 1_000;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in, FleetSession fleet) {
        String service = FleetDrainCommand.requiredService(in);
        int max = FleetDrainCommand.maxUnavailable(in);
        List<String> hook = in.args.positionalsFrom(0);
        if (hook.isEmpty()) {
            throw CliFailure.usage("no HOOK: give the command after --, e.g. -- ssh {host} apt-get install -y maintd");
        }
        long drainTimeout = duration(in, DRAIN_TIMEOUT, DEFAULT_DRAIN_TIMEOUT);
        long readyTimeout = duration(in, READY_TIMEOUT, DEFAULT_READY_TIMEOUT);
        long leadTime = in.args.has(LEAD_TIME) ? ArgumentValues.durationMillis("--lead-time", in.args.value(LEAD_TIME)) : 0;
        String reason = in.args.value(FleetSetCommand.REASON, "fleet roll");
        PoolView pool = PoolView.of(fleet.keys, service,
                fleet.await(fleet.client.txn(PoolView.read(fleet.keys, service)), "read the pool " + service),
                System.currentTimeMillis());
        List<String> hosts = new ArrayList<>(pool.hosts());
        if (hosts.isEmpty()) {
            throw new CliFailure(ExitCode.NO_HOST, "no host of service " + service + " has ever reported; nothing to roll");
        }
        int start = 0;
        if (in.args.has(FROM)) {
            start = hosts.indexOf(in.args.value(FROM));
            if (start < 0) {
                throw new CliFailure(ExitCode.NO_HOST, "--from " + in.args.value(FROM) + ": no such host in " + service
                        + " (its hosts: " + String.join(", ", hosts) + ")");
            }
        }
        Roll roll = new Roll(in, fleet, service, hosts, hook);
        for (int i = start; i < hosts.size(); i++) {
            roll.host(i, max, drainTimeout, leadTime, readyTimeout, reason);
        }
        in.out.println("roll of " + service + " done: " + (hosts.size() - start) + " host(s), each drained, upgraded and ready");
        return ExitCode.OK.code;
    }

    private static long duration(Invocation in, Option option, long dflt) {
        return in.args.has(option) ? ArgumentValues.durationMillis("--" + option.name, in.args.value(option)) : dflt;
    }

    /** One roll's progress, for the per-step lines and the message that says where it stopped. */
    private static final class Roll {
        private final Invocation in;
        private final FleetSession fleet;
        private final String service;
        private final List<String> hosts;
        private final List<String> hook;

        Roll(Invocation in, FleetSession fleet, String service, List<String> hosts, List<String> hook) {
            this.in = in;
            this.fleet = fleet;
            this.service = service;
            this.hosts = hosts;
            this.hook = hook;
        }

        void host(int index, int max, long drainTimeout, long leadTime, long readyTimeout, String reason) {
            String host = hosts.get(index);
            String label = host + " (" + (index + 1) + "/" + hosts.size() + ")";
            long drained = drain(index, max, drainTimeout, reason);
            say(label + ": drained at revision " + drained);
            sleep(leadTime);
            HostStatus idle = fleet.awaitStatus(service, host,
                    s -> s.unavailable() && s.revision() >= drained && s.inflight() == 0, drainTimeout);
            if (idle == null) {
                HostStatus last = fleet.status(service, host);
                stop(index, true, last == null ? "it stopped reporting while draining"
                        : "it did not reach in-flight 0 within " + DurationText.format(drainTimeout) + " (mode "
                        + last.mode() + ", in-flight " + last.inflight() + ", revision " + last.revision() + ")");
            }
            say(label + ": in-flight 0");
            List<String> command = new ArrayList<>();
            for (String arg : hook) {
                command.add(arg.replace("{host}", host));
            }
            say(label + ": running " + String.join(" ", command));
            int exit = run(index, command);
            if (exit != 0) {
                stop(index, true, "the hook exited " + exit);
            }
            long undrained = FleetDrain.undrain(fleet, host, reason);
            say(label + ": undrained" + (undrained == 0 ? " (its drain key was gone already)" : " at revision " + undrained));
            long since = Math.max(undrained, drained);
            if (fleet.awaitStatus(service, host, s -> s.ready() && s.revision() >= since, readyTimeout) == null) {
                stop(index, false, "it did not report ready within " + DurationText.format(readyTimeout) + " after the undrain");
            }
            say(label + ": ready");
        }

        /** Drains within the budget, waiting for it while other hosts hold it, up to the timeout. */
        private long drain(int index, int max, long timeoutMillis, String reason) {
            String host = hosts.get(index);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            boolean told = false;
            while (true) {
                FleetDrain.Outcome outcome = FleetDrain.drain(fleet, service, host, max, reason);
                if (outcome.drained() || outcome.already()) {
                    return outcome.revision();
                }
                if (System.nanoTime() >= deadline) {
                    throw new CliFailure(ExitCode.BUDGET, "roll stopped before " + host + " (" + (index + 1) + "/" + hosts.size()
                            + "): the budget of " + service + " stayed used up for " + DurationText.format(timeoutMillis) + " by "
                            + FleetDrain.describe(outcome.holders()) + "; nothing was changed on " + host
                            + ". Resume: " + resume(host));
                }
                if (!told) {
                    say(host + ": waiting for the budget, held by " + FleetDrain.describe(outcome.holders()));
                    told = true;
                }
                sleep(BUDGET_RETRY_MILLIS);
            }
        }

        private int run(int index, List<String> command) {
            try {
                Process process = new ProcessBuilder(command).inheritIO().start();
                return process.waitFor();
            } catch (IOException e) {
                stop(index, true, "the hook could not start: " + e.getMessage());
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(index, true, "interrupted while the hook ran");
                return -1;
            }
        }

        private void stop(int index, boolean leftDrained, String why) {
            String host = hosts.get(index);
            String next = index + 1 < hosts.size() ? hosts.get(index + 1) : null;
            throw new CliFailure(ExitCode.ROLL_STOPPED, "roll stopped at " + host + " (" + (index + 1) + "/" + hosts.size()
                    + "): " + why + "; " + host + (leftDrained ? " is left drained" : " is undrained") + ". When it is fixed: "
                    + (leftDrained ? "flagctl fleet undrain " + host + ", then " : "")
                    + (next == null ? "the roll is otherwise complete" : resume(next))
                    + " (or --from " + host + " to run the hook on it again)");
        }

        private String resume(String from) {
            return "flagctl fleet roll --service " + service + " --from " + from + " -- " + String.join(" ", hook);
        }

        private void say(String line) {
            in.out.println(line);
            in.out.flush();
        }

        private static void sleep(long millis) {
            if (millis <= 0) {
                return;
            }
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure(ExitCode.FAILURE, "interrupted");
            }
        }
    }
}
