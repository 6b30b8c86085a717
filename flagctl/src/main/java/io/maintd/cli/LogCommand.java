package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Option;
import io.maintd.flagfile.AuditLog;
import io.maintd.flagfile.Logfmt;
import io.maintd.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/** {@code flagctl log}: the audit trail of every write flagctl made, newest last. */
final class LogCommand implements Command {
    static final Option LINES = Option.valued("lines", 'n', "N", "show the last N entries (default 20)");
    /** Fields written as JSON numbers; "-" (not applicable) becomes null. */
    private static final List<String> NUMERIC = List.of("uid", "pid", "old", "new", "revision");

    private static final CommandSpec SPEC = CommandSpec.command("log", "Show the audit log: who changed what, when and why.")
            .option(LINES)
            .detail("The log is <flag file>.log, one logfmt line per write: time, user, uid, pid, op,")
            .detail("flag, old, new, expires, reason. --json prints one JSON object per line.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        int count = in.args.has(LINES) ? ArgumentValues.count("-n", in.args.value(LINES), 1, 1_000_000) : 20;
        Path log = AuditLog.pathFor(in.file);
        List<String> lines = AuditLog.tail(log, count);
        if (lines.isEmpty()) {
            in.err.println("flagctl: no entries in " + log + " yet (the first write creates it)");
        }
        for (String line : lines) {
            in.out.println(in.json ? toJson(line) : line);
        }
        return ExitCode.OK.code;
    }

    private static String toJson(String line) {
        JsonObject j = new JsonObject();
        for (String[] pair : Logfmt.parse(line)) {
            String key = pair[0];
            String value = pair[1];
            if (value.equals("-")) {
                j.put(key, (String) null);
            } else if (NUMERIC.contains(key) && isInteger(value)) {
                j.put(key, Long.parseLong(value));
            } else {
                j.put(key, value);
            }
        }
        return j.toString();
    }

    private static boolean isInteger(String text) {
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
