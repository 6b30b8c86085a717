package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.flagfile.IsoTime;
import io.maintd.json.JsonObject;
import io.maintd.flagfile.ScheduledWindow;
import java.util.Optional;

/** {@code flagctl cancel NAME}: drops the flag's scheduled window (from {@code set --at}) before it starts. */
final class CancelCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.command("cancel", "Drop a flag's scheduled window.")
            .parameter(FlagNameParameters.WRITABLE)
            .option(AuditedWrite.REASON)
            .detail("Only a window that has not started: a started one is a timed value, ended early with")
            .detail("flagctl set NAME VALUE. With no window pending it says so and exits 0.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        String name = in.args.positional(0);
        long now = System.currentTimeMillis();
        Optional<ScheduledWindow> cancelled;
        try (AuditedWrite write = AuditedWrite.open(in)) {
            cancelled = write.writer.cancelWindow(name);
            cancelled.ifPresent(w -> write.record("cancel", name, Long.toString(w.value()), "-", w.endsAtMillis(),
                    "at", IsoTime.format(w.startsAtMillis())));
        }
        if (in.json) {
            in.out.println(new JsonObject().put("name", name)
                    .raw("cancelled", cancelled.map(w -> SnapshotText.json(w, now).toString()).orElse("null")));
        } else {
            in.out.println(cancelled.map(w -> name + ": cancelled the window " + SnapshotText.window(w, now))
                    .orElse(name + ": no window scheduled"));
        }
        return ExitCode.OK.code;
    }
}
