package io.maintd.rules;

/** A condition that does not parse; the message names the 1-based column. */
final class ConditionSyntaxException extends Exception {
    ConditionSyntaxException(String message) {
        super(message);
    }
}
