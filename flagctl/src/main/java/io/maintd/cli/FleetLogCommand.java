package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.flagfile.IsoTime;
import io.maintd.json.JsonObject;
import io.maintd.flagfile.Logfmt;
import io.maintd.fleet.KeyValue;
import io.maintd.fleet.LogEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@code flagctl fleet log [-n N]}: the changes flagctl made to the fleet, oldest of the last N first. */
final class FleetLogCommand implements FleetSubcommand {
    private static final CommandSpec SPEC = CommandSpec.command("log",
                    "Show who changed what in the fleet, when, why, and at which etcd revision.")
            .option(LogCommand.LINES)
            .detail("Entries live at PREFIX/log/ for 30 days, written in the same transaction as the change.")
            .detail("Keys that expire (--for) vanish without an entry; the entry of their set shows the expiry.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in, FleetSession fleet) {
        int count = in.args.has(LogCommand.LINES) ? ArgumentValues.count("-n", in.args.value(LogCommand.LINES), 1, 10_000) : 20;
        List<KeyValue> newestFirst = fleet.await(fleet.client.rangeNewest(fleet.keys.logRoot(), count),
                "read the log under " + fleet.keys.logRoot()).kvs();
        List<KeyValue> entries = new ArrayList<>(newestFirst);
        Collections.reverse(entries);
        if (entries.isEmpty()) {
            in.err.println("flagctl: no fleet changes under " + fleet.keys.logRoot() + " yet");
        }
        for (KeyValue kv : entries) {
            LogEntry e;
            try {
                e = LogEntry.decode(kv.value());
            } catch (IllegalArgumentException malformed) {
                in.warn("skipping " + kv.key() + ": " + malformed.getMessage());
                continue;
            }
            boolean valued = e.op().equals("set") || e.op().equals("drain");
            if (in.json) {
                in.out.println(new JsonObject().put("time", IsoTime.format(e.timeMillis())).put("revision", kv.modRevision())
                        .put("by", e.by()).put("op", e.op()).put("scope", e.scope()).put("flag", e.flag())
                        .putOrNull("value", valued, e.value())
                        .put("expires_at", e.expiresAtMillis() == 0 ? null : IsoTime.format(e.expiresAtMillis()))
                        .put("reason", e.reason().isEmpty() ? null : e.reason()));
                continue;
            }
            StringBuilder line = new StringBuilder();
            Logfmt.append(line, "time", IsoTime.format(e.timeMillis()));
            Logfmt.append(line, "revision", Long.toString(kv.modRevision()));
            Logfmt.append(line, "by", e.by());
            Logfmt.append(line, "op", e.op());
            Logfmt.append(line, "scope", e.scope());
            Logfmt.append(line, "flag", e.flag());
            Logfmt.append(line, "value", valued ? Long.toString(e.value()) : "-");
            Logfmt.append(line, "expires", e.expiresAtMillis() == 0 ? "-" : IsoTime.format(e.expiresAtMillis()));
            Logfmt.append(line, "reason", e.reason().isEmpty() ? "-" : e.reason());
            in.out.println(line);
        }
        return ExitCode.OK.code;
    }
}
