package io.maintd.fleet;

/**
 * etcd answered, and the answer was an error (a bad request, a lease that does not exist, a
 * compacted revision). Unlike {@link EtcdUnavailableException} this is not retried elsewhere.
 *
 * @see <a href="https://grpc.github.io/grpc/core/md_doc_statuscodes.html">gRPC status codes</a>
 */
public final class EtcdException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** gRPC NOT_FOUND: e.g. "requested lease not found". */
    public static final int NOT_FOUND = 5;

    private final int httpStatus;
    private final int code;

    public EtcdException(String where, int httpStatus, int code, String message) {
        super(where + ": etcd says " + Printable.of(message, 300) + (code != 0 ? " (code " + code + ")" : ""));
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The gRPC status code etcd gave, 0 if none. */
    public int code() {
        return code;
    }
}
