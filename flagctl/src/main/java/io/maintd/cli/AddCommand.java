package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Parameter;
import io.maintd.json.JsonObject;

/**
 * {@code flagctl incr NAME [BY]} and {@code flagctl decr NAME [BY]}: one atomic add, so
 * concurrent callers in many processes never lose a step. One class serves both names; they
 * differ only in the sign.
 */
final class AddCommand implements Command {
    private final CommandSpec spec;
    private final int sign;

    private AddCommand(String name, String summary, int sign) {
        this.sign = sign;
        this.spec = CommandSpec.command(name, summary)
                .parameter(FlagNameParameters.WRITABLE)
                .parameter(Parameter.optional("BY", "step, default 1"))
                .option(AuditedWrite.REASON)
                .detail("Atomic across processes; keeps a pending --for expiry.");
    }

    static AddCommand incr() {
        return new AddCommand("incr", "Add to a flag atomically; prints the new value.", 1);
    }

    static AddCommand decr() {
        return new AddCommand("decr", "Subtract from a flag atomically; prints the new value.", -1);
    }

    @Override
    public CommandSpec spec() {
        return spec;
    }

    @Override
    public int run(Invocation in) {
        String name = in.args.positional(0);
        long by = in.args.positional(1) == null ? 1 : in.integer(1, "step");
        if (by == Long.MIN_VALUE) {
            throw CliFailure.usage("step " + by + " is out of range");
        }
        long delta = sign * by;
        long now;
        try (AuditedWrite write = AuditedWrite.on(in, name)) {
            now = write.writer.addAndGet(write.flag, delta);
            write.record(spec.name, now - delta, now);
        }
        in.out.println(in.json ? new JsonObject().put("name", name).put("value", now).toString() : Long.toString(now));
        return ExitCode.OK.code;
    }
}
