package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.json.JsonObject;

/** {@code flagctl delete NAME}: frees an operator flag's slot. Daemon counters are refused. */
final class DeleteCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.command("delete", "Delete a flag.")
            .parameter(FlagNameParameters.WRITABLE)
            .option(AuditedWrite.REASON)
            .detail("Daemon counters cannot be deleted (exit 4). A running maintd reads a deleted flag as absent (0)")
            .detail("and follows it when it is created again; the freed slot is kept out of the next create for 1 s.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        String name = in.args.positional(0);
        long old;
        try (AuditedWrite write = AuditedWrite.on(in, name)) {
            old = write.flag.get();
            if (!write.writer.delete(name)) {
                throw FlagLookup.unknown(write.writer.reader(), name);
            }
            write.record("delete", name, Long.toString(old), "-", 0);
        }
        if (in.json) {
            in.out.println(new JsonObject().put("name", name).put("deleted", true).put("old", old));
        } else {
            in.out.println("deleted " + name + " (was " + old + ")");
        }
        return ExitCode.OK.code;
    }
}
