package io.maintd.command;

/** One declared positional argument. */
public final class Parameter {
    public final String name;
    public final String help;
    public final boolean required;
    /** Takes every remaining positional argument (zero or more). */
    public final boolean repeated;
    /** What a shell offers for it. */
    public final Completion completion;

    private Parameter(String name, String help, boolean required, boolean repeated, Completion completion) {
        this.name = name;
        this.help = help;
        this.required = required;
        this.repeated = repeated;
        this.completion = completion;
    }

    public static Parameter required(String name, String help) {
        return new Parameter(name, help, true, false, Completion.NOTHING);
    }

    public static Parameter optional(String name, String help) {
        return new Parameter(name, help, false, false, Completion.NOTHING);
    }

    public static Parameter repeated(String name, String help) {
        return new Parameter(name, help, false, true, Completion.NOTHING);
    }

    /** The same parameter, with {@code completion} offered for it. */
    public Parameter completes(Completion completion) {
        return new Parameter(name, help, required, repeated, completion);
    }

    public String synopsis() {
        if (repeated) {
            return "[" + name + "...]";
        }
        return required ? name : "[" + name + "]";
    }
}
