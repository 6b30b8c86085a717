package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Option;
import io.maintd.command.Parameter;
import io.maintd.flagfile.IsoTime;
import io.maintd.json.JsonObject;
import io.maintd.fleet.EtcdClient;
import io.maintd.fleet.FleetValue;
import io.maintd.fleet.LogEntry;
import io.maintd.fleet.Scope;
import io.maintd.fleet.Txn;
import io.maintd.fleet.TxnResult;

/** {@code flagctl fleet set NAME VALUE (--all | --service S | --host H) [--for D] [--reason T]}. */
final class FleetSetCommand implements FleetSubcommand {
    static final Option FOR = Option.valued("for", (char) 0, "DURATION",
            "the key vanishes after this long (an etcd lease); each host reverts then, even one cut off from etcd");
    static final Option REASON = Option.valued("reason", 'r', "TEXT", "why; kept in the fleet log and each host's audit log");

    private static final CommandSpec SPEC = ScopeOptions.declare(CommandSpec.command("set",
                    "Set a flag on many hosts: every host's maintd mirrors the most specific key into its flag file."))
            .parameter(Parameter.required("NAME", "an operator flag the hosts have (maint, drain, shed, weight, ...)"))
            .parameter(Parameter.required("VALUE", "a signed 64-bit integer"))
            .option(FOR).option(REASON)
            .detail("A host key beats a service key beats an all key. With --for the key lives under an etcd lease and")
            .detail("vanishes at expiry; each host also stores the expiry, so a host cut off from etcd reverts on time.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in, FleetSession fleet) {
        String name = ScopeOptions.flag(in.args.positional(0));
        long value = in.integer(1, "value");
        Scope scope = ScopeOptions.of(in.args);
        long forMillis = in.args.has(FOR) ? ArgumentValues.durationMillis("--for", in.args.value(FOR)) : 0;
        if (forMillis > FleetSession.LOG_RETENTION_MILLIS * 12) {
            throw CliFailure.usage("--for " + in.args.value(FOR) + " is longer than a year; set it without --for");
        }
        String reason = in.args.value(REASON, "");
        long now = System.currentTimeMillis();
        long lease = 0;
        long expiresAt = 0;
        if (forMillis > 0) {
            // etcd leases count whole seconds; round up so the key never vanishes before expires_at.
            EtcdClient.Lease granted = fleet.await(fleet.client.grantLease((forMillis + 999) / 1000), "grant a lease for --for");
            lease = granted.id();
            expiresAt = now + forMillis;
        }
        String key = fleet.keys.flagKey(scope, name);
        FleetValue stored = new FleetValue(value, expiresAt, reason, fleet.who(), now);
        TxnResult result = fleet.change(new Txn().thenPut(key, stored.encode(), lease),
                new LogEntry(now, "set", scope.toString(), name, value, expiresAt, reason, fleet.who()), "set " + key);
        if (in.json) {
            in.out.println(new JsonObject().put("flag", name).put("value", value).put("scope", scope.toString()).put("key", key)
                    .put("revision", result.revision()).put("expires_at", expiresAt == 0 ? null : IsoTime.format(expiresAt)));
        } else {
            in.out.println(name + " = " + value + " for " + scope + " (" + key + ", revision " + result.revision() + ")"
                    + (expiresAt == 0 ? "" : " until " + IsoTime.format(expiresAt) + " (" + DurationText.format(forMillis) + ")"));
        }
        return ExitCode.OK.code;
    }
}
