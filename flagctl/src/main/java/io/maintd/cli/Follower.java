package io.maintd.cli;

/**
 * The decisions of {@code flagctl follow}, without the clock or the file: given the fact, the
 * flag's value and its expiry now, what to write. Kept apart so the safety rules (thresholds,
 * hysteresis, hold, step limit, renewal) are one small state machine.
 */
final class Follower {
    /** What to do this tick: nothing ({@link #NONE}), or write {@code value} for the profile's --for. */
    record Move(long value, String reason) {
        static final Move NONE = new Move(0, null);

        boolean writes() {
            return reason != null;
        }
    }

    private final FollowProfile profile;
    /** When the last step toward the limit was written; relief waits {@code hold} after it. */
    private long lastPressMillis = Long.MIN_VALUE / 2;

    Follower(FollowProfile profile) {
        this.profile = profile;
    }

    /**
     * @param fact            the fact's value; negative means the daemon cannot tell (nothing is written)
     * @param current         the flag's value now
     * @param expiresAtMillis the flag's pending expiry, 0 for none
     */
    Move decide(long nowMillis, long fact, long current, long expiresAtMillis) {
        if (fact < 0 || !profile.steers(current)) {
            return Move.NONE;
        }
        String reading = profile.fact() + "=" + fact;
        if (fact >= profile.on() && current != profile.limit()) {
            lastPressMillis = nowMillis;
            return new Move(toward(current, profile.limit()), reading + " >= on " + profile.on());
        }
        if (fact >= profile.on()) {
            lastPressMillis = nowMillis;
        }
        if (fact <= profile.off() && current != profile.rest() && nowMillis - lastPressMillis >= profile.holdMillis()) {
            return new Move(toward(current, profile.rest()), reading + " <= off " + profile.off());
        }
        if (current != profile.rest() && expiresAtMillis != 0 && expiresAtMillis - nowMillis < profile.forMillis() / 2) {
            return new Move(current, "renew: " + reading);
        }
        return Move.NONE;
    }

    private long toward(long from, long to) {
        long distance = to - from;
        return from + Long.signum(distance) * Math.min(Math.abs(distance), profile.step());
    }
}
