package io.maintd.command;

/** One declared option: {@code --name VALUE}, or a switch when it takes no value. */
public final class Option {
    public final String name;
    /** 0 when the option has no one-letter form. */
    public final char letter;
    /** Null for a switch. */
    public final String valueName;
    public final String help;
    /** What a shell offers for the value. */
    public final Completion completion;

    private Option(String name, char letter, String valueName, String help, Completion completion) {
        this.name = name;
        this.letter = letter;
        this.valueName = valueName;
        this.help = help;
        this.completion = completion;
    }

    public static Option toggle(String name, char letter, String help) {
        return new Option(name, letter, null, help, Completion.NOTHING);
    }

    public static Option valued(String name, char letter, String valueName, String help) {
        return new Option(name, letter, valueName, help, Completion.NOTHING);
    }

    /** The same option, with {@code completion} offered for its value. */
    public Option completes(Completion completion) {
        return new Option(name, letter, valueName, help, completion);
    }

    public boolean takesValue() {
        return valueName != null;
    }

    public String synopsis() {
        return "--" + name + (takesValue() ? " " + valueName : "");
    }

    /** {@code -f, --file PATH}, or the long form indented to line up with those that have a letter. */
    public String longForm() {
        return (letter != 0 ? "-" + letter + ", " : "    ") + synopsis();
    }
}
