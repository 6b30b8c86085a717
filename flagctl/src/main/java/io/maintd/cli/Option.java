package io.maintd.cli;

/** One declared option: {@code --name VALUE}, or a switch when it takes no value. */
final class Option {
    final String name;
    /** 0 when the option has no one-letter form. */
    final char letter;
    /** Null for a switch. */
    final String valueName;
    final String help;

    private Option(String name, char letter, String valueName, String help) {
        this.name = name;
        this.letter = letter;
        this.valueName = valueName;
        this.help = help;
    }

    static Option toggle(String name, char letter, String help) {
        return new Option(name, letter, null, help);
    }

    static Option valued(String name, char letter, String valueName, String help) {
        return new Option(name, letter, valueName, help);
    }

    boolean takesValue() {
        return valueName != null;
    }

    String synopsis() {
        return "--" + name + (takesValue() ? " " + valueName : "");
    }

    String longForm() {
        return (letter != 0 ? "-" + letter + ", " : "    ") + synopsis();
    }
}
