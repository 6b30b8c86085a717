package io.maintd.daemon;

/** maintd's exit codes, shown by {@code --help}. */
public enum ExitCode {
    OK(0, "stopped cleanly: drained after SIGTERM/SIGINT (see docs/operations.md)"),
    FAILED(1, "invalid configuration, or could not start: config, flag file, page, listen address or systemd environment problem (the message names it); for reload: the daemon rejected the file, was not running, or did not answer"),
    USAGE(2, "bad command line"),
    ALREADY_RUNNING(3, "another maintd already runs on this flag file (the message names its pid)"),
    FORCED(4, "a second SIGTERM/SIGINT during the drain stopped it at once; requests still in flight were cut");

    public final int code;
    public final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }
}
