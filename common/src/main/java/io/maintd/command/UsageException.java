package io.maintd.command;

/**
 * The command line is wrong: the message says what, and {@code --help} says what is right.
 * Every program maps it to its usage exit code (2 for both flagctl and maintd).
 */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message, null, false, false);
    }
}
