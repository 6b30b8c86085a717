package io.maintd.fleet;

/** JSON that does not parse, or does not have the shape the reader expects; the message says where and what. */
public final class MalformedJsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MalformedJsonException(String message) {
        super(message);
    }
}
