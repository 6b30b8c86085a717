package io.maintd.cli;

/** One declared positional argument. */
final class Parameter {
    final String name;
    final String help;
    final boolean required;
    /** Takes every remaining positional argument (zero or more). */
    final boolean repeated;

    private Parameter(String name, String help, boolean required, boolean repeated) {
        this.name = name;
        this.help = help;
        this.required = required;
        this.repeated = repeated;
    }

    static Parameter required(String name, String help) {
        return new Parameter(name, help, true, false);
    }

    static Parameter optional(String name, String help) {
        return new Parameter(name, help, false, false);
    }

    static Parameter repeated(String name, String help) {
        return new Parameter(name, help, false, true);
    }

    String synopsis() {
        if (repeated) {
            return "[" + name + "...]";
        }
        return required ? name : "[" + name + "]";
    }
}
