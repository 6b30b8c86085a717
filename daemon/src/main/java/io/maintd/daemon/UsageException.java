package io.maintd.daemon;

/** The command line is wrong; the message says what and {@code --help} says what is right. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
