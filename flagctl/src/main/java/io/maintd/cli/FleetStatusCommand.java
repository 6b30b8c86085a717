package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.TextTable;
import io.maintd.flagfile.IsoTime;
import io.maintd.json.JsonObject;
import io.maintd.fleet.FleetKeys;
import io.maintd.fleet.HostStatus;
import io.maintd.fleet.KeyValue;
import io.maintd.fleet.Txn;
import io.maintd.fleet.TxnResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code flagctl fleet status [--service S]}: one row per host, live or lost. */
final class FleetStatusCommand implements FleetSubcommand {
    private static final CommandSpec SPEC = CommandSpec.command("status",
                    "One row per host: mode, in-flight, connections, the age of its last report, its version.")
            .option(ScopeOptions.SERVICE)
            .detail("A host whose status key vanished (its lease ended: maintd stopped, crashed or lost etcd) is listed")
            .detail("as lost. Ages come from the hosts' clocks.");

    /** One row: a host's status, or null for a lost host. */
    private record Row(String service, String host, HostStatus status, String problem) {
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in, FleetSession fleet) {
        FleetKeys keys = fleet.keys;
        String service = in.args.has(ScopeOptions.SERVICE) ? ScopeOptions.name("service", in.args.value(ScopeOptions.SERVICE)) : null;
        String members = service == null ? keys.membersRoot() : keys.memberPrefix(service);
        String statuses = service == null ? keys.statusRoot() : keys.statusPrefix(service);
        TxnResult read = fleet.await(fleet.client.txn(new Txn().thenRangePrefix(members).thenRangePrefix(statuses)),
                "read the hosts under " + statuses);
        Map<String, Row> rows = new TreeMap<>();
        for (KeyValue kv : read.ranges().get(0).kvs()) {
            row(in, keys, kv, keys.membersRoot(), rows, false);
        }
        for (KeyValue kv : read.ranges().get(1).kvs()) {
            row(in, keys, kv, keys.statusRoot(), rows, true);
        }
        long now = System.currentTimeMillis();
        if (in.json) {
            List<JsonObject> hosts = new ArrayList<>();
            for (Row r : rows.values()) {
                hosts.add(json(r, now));
            }
            in.out.println(new JsonObject().put("revision", read.revision()).put("hosts", hosts));
            return ExitCode.OK.code;
        }
        if (rows.isEmpty()) {
            in.err.println("flagctl: no host has reported under " + statuses + " yet");
            return ExitCode.OK.code;
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"SERVICE", "HOST", "MODE", "INFLIGHT", "CONNS", "REPORTED", "VERSION", "NOTE"});
        for (Row r : rows.values()) {
            HostStatus s = r.status();
            if (s == null) {
                table.add(new String[] {r.service(), r.host(), r.problem() == null ? "lost" : "unreadable", "-", "-", "-", "-",
                        r.problem() == null ? "status key gone (lease ended)" : r.problem()});
            } else {
                table.add(new String[] {r.service(), r.host(), s.mode(), Long.toString(s.inflight()), Long.toString(s.conns()),
                        DurationText.ago(s.timeMillis(), now), s.version(),
                        s.overrides().isEmpty() ? "" : "local override: " + String.join(", ", s.overrides())});
            }
        }
        in.out.print(TextTable.render(table));
        return ExitCode.OK.code;
    }

    private static void row(Invocation in, FleetKeys keys, KeyValue kv, String root, Map<String, Row> rows, boolean status) {
        FleetKeys.HostKey host;
        try {
            host = keys.parseHostKey(kv.key(), root);
        } catch (IllegalArgumentException e) {
            in.warn("skipping " + e.getMessage());
            return;
        }
        String id = host.service() + "/" + host.host();
        if (!status) {
            rows.putIfAbsent(id, new Row(host.service(), host.host(), null, null));
            return;
        }
        try {
            rows.put(id, new Row(host.service(), host.host(), HostStatus.decode(kv.value()), null));
        } catch (IllegalArgumentException e) {
            rows.put(id, new Row(host.service(), host.host(), null, e.getMessage()));
        }
    }

    private static JsonObject json(Row r, long now) {
        JsonObject j = new JsonObject().put("service", r.service()).put("host", r.host());
        HostStatus s = r.status();
        if (s == null) {
            return j.put("mode", r.problem() == null ? "lost" : "unreadable").put("problem", r.problem());
        }
        return j.put("mode", s.mode()).put("inflight", s.inflight()).put("conns", s.conns()).put("requests", s.requests())
                .put("reported_at", IsoTime.format(s.timeMillis())).put("age_ms", Math.max(0, now - s.timeMillis()))
                .put("version", s.version()).put("pid", s.pid()).put("started_at", IsoTime.format(s.startedAtMillis()))
                .put("revision", s.revision()).putStrings("overrides", s.overrides());
    }
}
