package io.maintd.lifecycle;

/**
 * What this instance tells its load balancers, in HAProxy's words. Ordered by strength: a
 * stronger mode wins when two inputs disagree (maint beats a shutdown's drain).
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

    /** The lower-case word used in logs, STATUS= and the agent-check reply. */
    public String word() {
        return word;
    }

    /** The stronger of the two: {@code READY < DRAIN < MAINT}. */
    public Mode atLeast(Mode other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
