package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Completion;
import io.maintd.command.Option;
import io.maintd.command.Parameter;
import io.maintd.flagfile.ChangeWatcher;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.flagfile.IsoTime;
import io.maintd.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code flagctl watch [NAME...]}: one line per change until interrupted. It parks on the
 * file's change sequence (no busy spin) and, when the sequence moves, compares a fresh
 * snapshot of the watched flags with the last one.
 */
final class WatchCommand implements Command {
    static final Option COUNT = Option.valued("count", 'c', "N", "exit 0 after N changes (default: run until interrupted)");

    /** Wake up this often even when nothing changes, to notice an interrupt. */
    private static final long PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final CommandSpec SPEC = CommandSpec.command("watch", "Print one line per flag change until interrupted.")
            .parameter(Parameter.repeated("NAME", "flags to watch (default: all, counters included)")
                    .completes(Completion.query("list", "--names")))
            .option(COUNT)
            .detail("Lines: TIME NAME OLD -> NEW (USER pid PID); --json prints one JSON object per line.")
            .detail("Writes closer together than the poll (1-50 ms) show as one line with their count.")
            .detail("Ctrl-C ends it; the JVM then exits with status " + ExitCode.INTERRUPTED + ".");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        List<String> names = in.args.positionalsFrom(0);
        long limit = in.args.has(COUNT) ? ArgumentValues.count("--count", in.args.value(COUNT), 1, Integer.MAX_VALUE) : 0;
        try (FlagFile file = in.openForReading()) {
            FlagReader reader = file.reader();
            for (String name : names) {
                FlagLookup.existing(reader, name);
            }
            ChangeWatcher watcher = reader.watcher();
            UserNames users = UserNames.load();
            // Sequence first, snapshot second: a write in between moves the sequence past `seen`.
            long seen = reader.changeSequence();
            Map<String, FlagSnapshot> last = snapshot(reader, names);
            in.err.println("watching " + (names.isEmpty() ? "all flags" : String.join(", ", names)) + " in " + in.file
                    + "; Ctrl-C to stop");
            in.err.flush();
            long printed = 0;
            while (!Thread.currentThread().isInterrupted()) {
                long now = watcher.awaitChange(seen, PARK_NANOS);
                if (now == seen) {
                    continue;
                }
                seen = now;
                Map<String, FlagSnapshot> current = snapshot(reader, names);
                printed += report(in, users, last, current);
                if (in.outputFailed()) {
                    return ExitCode.FAILURE.code; // nobody reads any more: flagctl watch | head -1
                }
                last = current;
                if (limit > 0 && printed >= limit) {
                    return ExitCode.OK.code;
                }
            }
            return ExitCode.INTERRUPTED;
        }
    }

    private static Map<String, FlagSnapshot> snapshot(FlagReader reader, List<String> names) {
        Map<String, FlagSnapshot> out = new LinkedHashMap<>();
        for (FlagSnapshot s : reader.list()) {
            if (names.isEmpty() || names.contains(s.name())) {
                out.put(s.name(), s);
            }
        }
        return out;
    }

    private static int report(Invocation in, UserNames users, Map<String, FlagSnapshot> before,
                              Map<String, FlagSnapshot> after) {
        int lines = 0;
        for (FlagSnapshot s : after.values()) {
            FlagSnapshot old = before.get(s.name());
            if (old == null) {
                print(in, users, "created", s, null);
                lines++;
            } else if (old.changeCount() != s.changeCount() || old.value() != s.value()) {
                print(in, users, "changed", s, old);
                lines++;
            }
        }
        for (FlagSnapshot old : before.values()) {
            if (!after.containsKey(old.name())) {
                print(in, users, "deleted", null, old);
                lines++;
            }
        }
        return lines;
    }

    private static void print(Invocation in, UserNames users, String event, FlagSnapshot now, FlagSnapshot old) {
        FlagSnapshot any = now != null ? now : old;
        long writes = now != null && old != null ? now.changeCount() - old.changeCount() : 1;
        long time = now != null ? now.updatedAtMillis() : System.currentTimeMillis();
        if (in.json) {
            JsonObject j = new JsonObject().put("time", IsoTime.format(time)).put("event", event).put("name", any.name())
                    .putOrNull("old", old != null, old != null ? old.value() : 0)
                    .putOrNull("new", now != null, now != null ? now.value() : 0)
                    .put("writes", writes);
            if (now != null) {
                j.put("writer_pid", now.writerPid()).put("writer_uid", now.writerUidUnsigned())
                        .put("writer_user", users.name(now.writerUidUnsigned()))
                        .put("expires_at", now.expires() ? IsoTime.format(now.expiresAtMillis()) : null);
            }
            in.out.println(j);
            return;
        }
        StringBuilder line = new StringBuilder(IsoTime.format(time)).append(' ').append(any.name()).append(' ');
        if (now == null) {
            line.append("deleted (was ").append(old.value()).append(')');
        } else {
            line.append(old == null ? "created = " + now.value() : old.value() + " -> " + now.value());
            line.append(" (").append(users.name(now.writerUidUnsigned())).append(" pid ").append(now.writerPid());
            if (writes > 1) {
                line.append(", ").append(writes).append(" writes");
            }
            if (now.expires()) {
                line.append(", until ").append(IsoTime.format(now.expiresAtMillis())).append(" then ")
                        .append(now.revertValue());
            }
            line.append(')');
        }
        in.out.println(line);
    }
}
