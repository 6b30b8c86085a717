package io.maintd.cli;

/**
 * Every exit status flagctl uses, with the sentence {@code flagctl --help} and
 * {@code docs/flagctl.md} print for it. Scripts branch on these numbers, so they never change
 * meaning once released.
 */
enum ExitCode {
    OK(0, "success (for wait: the condition holds)"),
    FAILURE(1, "other failure: I/O error, no free slot in the flag file"),
    USAGE(2, "usage error: unknown command or option, missing or malformed argument, bad value"),
    UNKNOWN_FLAG(3, "no such flag (the message suggests the closest name)"),
    DENIED(4, "not allowed: permission denied, world-writable flag file, daemon counter, audit log unwritable or unreadable"),
    BAD_FILE(5, "flag file missing, corrupt, or of a newer layout version"),
    CAS_LOST(6, "cas: the value was not EXPECTED, nothing written"),
    TIMED_OUT(7, "wait: the timeout passed before the condition held"),
    EXISTS(8, "create: a flag of that name already exists, nothing written"),
    BUDGET(9, "fleet drain: the pool's drain budget is used up; the message names the hosts that hold it"),
    ETCD(10, "fleet: no etcd endpoint answered, or etcd refused the request"),
    NO_HOST(11, "fleet: no such host in the service (it never reported)"),
    ROLL_STOPPED(12, "fleet roll: a step failed; that host is left drained and the message says how to resume"),
    NO_BALANCER(13, "wait noticed/drained: nothing can notice: no load balancer probed the daemon within its window, or no daemon runs");

    /** What a JVM killed by SIGINT reports (128 + 2); documented for watch and wait. */
    static final int INTERRUPTED = 130;

    final int code;
    final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }
}
