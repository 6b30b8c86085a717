package io.maintd.fleet;

/** No endpoint answered: connection refused, reset or timed out on every one of them. */
public final class EtcdUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EtcdUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
