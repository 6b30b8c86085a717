package io.maintd.page;

/** The maintenance page file could not be used; the message names the file and the reason. */
public final class PageLoadException extends RuntimeException {
    public PageLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
