package io.maintd.cli;

import io.maintd.flagfile.FlagFileException;

/** Classifies the flag file library's failures into flagctl's exit codes. */
final class FlagFileErrors {
    private FlagFileErrors() {
    }

    static ExitCode exitCode(FlagFileException e) {
        switch (e.reason()) {
            case PERMISSION_DENIED:
            case WORLD_WRITABLE:
            case COUNTER_NOT_WRITABLE:
                return ExitCode.DENIED;
            case NOT_FOUND:
            case CORRUPT:
            case UNSUPPORTED_VERSION:
                return ExitCode.BAD_FILE;
            case UNKNOWN_FLAG:
                return ExitCode.UNKNOWN_FLAG;
            case INVALID_NAME:
                return ExitCode.USAGE;
            case KIND_MISMATCH:
                return ExitCode.EXISTS;
            default:
                return ExitCode.FAILURE;
        }
    }
}
