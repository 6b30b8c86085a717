package io.maintd.flagfile;

/**
 * What an instance tells its load balancers, in HAProxy's words, and the rule that reads it
 * from the flag file ({@link #of}): part of the file's contract, so the daemon, {@code flagctl
 * status} and any script agree on what a file means. Ordered by strength: a stronger mode wins
 * when two inputs disagree (maint beats a shutdown's drain).
 */
public enum Mode {
    /** In the pool: take new work. */
    READY("ready"),
    /** Finish what is in flight, but send no new work here (health 503, agent {@code drain}). */
    DRAIN("drain"),
    /** Out of the pool: new requests get the maintenance page (agent {@code maint}). */
    MAINT("maint");

    private final String word;

    Mode(String word) {
        this.word = word;
    }

    /**
     * The mode the operator's flags ask for: {@code maint > 0} is maint, else {@code drain > 0}
     * is drain, else ready. A missing flag counts as 0. No allocation: the request path calls it.
     */
    public static Mode of(long maint, long drain) {
        return maint > 0 ? MAINT : drain > 0 ? DRAIN : READY;
    }

    /** The lower-case word used in logs, STATUS=, the agent-check reply and {@code flagctl status}. */
    public String word() {
        return word;
    }

    /** The stronger of the two: {@code READY < DRAIN < MAINT}. */
    public Mode atLeast(Mode other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
