package io.maintd.cli;

import io.maintd.command.CommandSpec;
import io.maintd.command.Parameter;
import io.maintd.json.JsonObject;

/** {@code flagctl cas NAME EXPECTED NEW}: set only if the value is still what the caller saw. */
final class CasCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.command("cas", "Atomic compare-and-set.")
            .parameter(FlagNameParameters.WRITABLE)
            .parameter(Parameter.required("EXPECTED", "the value the flag must hold"))
            .parameter(Parameter.required("NEW", "the value to store"))
            .option(AuditedWrite.REASON)
            .detail("Exit code 6 when the flag did not hold EXPECTED; then nothing is written.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        String name = in.args.positional(0);
        long expected = in.integer(1, "expected value");
        long value = in.integer(2, "new value");
        boolean swapped;
        long current;
        try (AuditedWrite write = AuditedWrite.on(in, name)) {
            swapped = write.writer.compareAndSet(write.flag, expected, value);
            current = swapped ? value : write.flag.get();
            if (swapped) {
                write.record("cas", expected, value);
            }
        }
        if (in.json) {
            in.out.println(new JsonObject().put("name", name).put("swapped", swapped).put("expected", expected)
                    .put("value", current));
        } else if (swapped) {
            in.out.println(name + ": " + expected + " -> " + value);
        }
        if (!swapped) {
            throw new CliFailure(ExitCode.CAS_LOST, "cas lost: " + name + " is " + current + ", not " + expected
                    + "; nothing written");
        }
        return ExitCode.OK.code;
    }
}
