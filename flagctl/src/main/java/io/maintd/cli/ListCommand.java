package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Option;
import io.maintd.command.TextTable;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.flagfile.ScheduledWindow;
import io.maintd.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code flagctl list}: every flag and counter with who last wrote it and any pending expiry. */
final class ListCommand implements Command {
    static final Option NAMES = Option.toggle("names", (char) 0, "print only the names, one per line");
    static final Option WRITABLE = Option.toggle("writable", (char) 0,
            "only operator flags, not daemon counters: what set, incr, decr, cas and delete accept");

    private static final CommandSpec SPEC = CommandSpec.command("list", "List flags and counters.")
            .option(NAMES).option(WRITABLE)
            .detail("Columns: name, value, kind, updated (relative), by (user, pid), expires (time left, revert value),")
            .detail("window (a scheduled window: value, start, end).");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        long now = System.currentTimeMillis();
        try (FlagFile file = in.openForReading()) {
            FlagReader reader = file.reader();
            List<FlagSnapshot> flags = in.args.has(WRITABLE) ? writable(reader.list()) : reader.list();
            if (in.args.has(NAMES)) {
                for (FlagSnapshot s : flags) {
                    in.out.println(s.name());
                }
                return ExitCode.OK.code;
            }
            SnapshotText text = new SnapshotText(UserNames.load(), now);
            boolean daemonAlive = reader.daemon().alive(now);
            List<ScheduledWindow> windows = reader.windows();
            if (in.json) {
                List<JsonObject> items = new ArrayList<>();
                for (FlagSnapshot s : flags) {
                    items.add(text.json(s).raw("window", windowOf(windows, s.name())
                            .map(w -> SnapshotText.json(w, now).toString()).orElse("null")));
                }
                in.out.println(new JsonObject().put("file", in.file.toString()).put("daemon_alive", daemonAlive)
                        .raw("flags", JsonObject.array(items)));
            } else if (flags.isEmpty()) {
                in.out.println("no flags in " + in.file + " (create one with: flagctl create NAME)");
            } else {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"NAME", "VALUE", "KIND", "UPDATED", "BY", "EXPIRES", "WINDOW"});
                for (FlagSnapshot s : flags) {
                    rows.add(new String[] {s.name(), Long.toString(s.value()), s.kind().label(),
                        DurationText.ago(s.updatedAtMillis(), now), text.writer(s), text.expiry(s),
                        windowOf(windows, s.name()).map(w -> SnapshotText.window(w, now)).orElse("-")});
                }
                in.out.print(TextTable.render(rows));
            }
            if (anyExpires(flags) || !windows.isEmpty()) {
                SnapshotText.warnIfUnenforced(in, reader, now);
            }
        }
        return ExitCode.OK.code;
    }

    static Optional<ScheduledWindow> windowOf(List<ScheduledWindow> windows, String flag) {
        return windows.stream().filter(w -> w.flag().equals(flag)).findFirst();
    }

    private static List<FlagSnapshot> writable(List<FlagSnapshot> all) {
        List<FlagSnapshot> flags = new ArrayList<>();
        for (FlagSnapshot s : all) {
            if (s.kind() == FlagKind.FLAG) {
                flags.add(s);
            }
        }
        return flags;
    }

    static boolean anyExpires(List<FlagSnapshot> flags) {
        for (FlagSnapshot s : flags) {
            if (s.expires()) {
                return true;
            }
        }
        return false;
    }
}
