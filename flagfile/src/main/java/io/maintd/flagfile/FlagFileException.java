package io.maintd.flagfile;

import java.nio.file.Path;

/**
 * A flag file problem an operator can act on. The message always names the file; the reason
 * lets callers such as flagctl map it to an exit code without parsing text.
 */
public final class FlagFileException extends RuntimeException {
    public enum Reason {
        NOT_FOUND,
        PERMISSION_DENIED,
        WORLD_WRITABLE,
        /** Wrong magic, bad geometry, truncated, invalid slot contents. */
        CORRUPT,
        UNSUPPORTED_VERSION,
        UNKNOWN_FLAG,
        INVALID_NAME,
        KIND_MISMATCH,
        COUNTER_NOT_WRITABLE,
        FULL,
        DAEMON_RUNNING,
        IO
    }

    private final Reason reason;
    private final Path file;

    public FlagFileException(Reason reason, Path file, String message) {
        this(reason, file, message, null);
    }

    public FlagFileException(Reason reason, Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.reason = reason;
        this.file = file;
    }

    public Reason reason() {
        return reason;
    }

    public Path file() {
        return file;
    }
}
