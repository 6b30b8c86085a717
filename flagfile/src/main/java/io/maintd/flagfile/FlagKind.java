package io.maintd.flagfile;

/** What a slot holds: a flag operators set, or a counter only the running daemon publishes. */
public enum FlagKind {
    FLAG(0),
    COUNTER(1);

    final int code;

    FlagKind(int code) {
        this.code = code;
    }

    static FlagKind ofCode(int code) {
        return switch (code) {
            case 0 -> FLAG;
            case 1 -> COUNTER;
            default -> null;
        };
    }

    public String label() {
        return this == FLAG ? "flag" : "counter";
    }
}
