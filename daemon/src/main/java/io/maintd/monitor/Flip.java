package io.maintd.monitor;

/**
 * One observed change of an operator flag.
 *
 * @param writes  how many writes the slot saw since the last observation (more than one
 *                when several landed between two ticks)
 * @param expired true when the change is the daemon reverting an expired {@code --for}
 */
public record Flip(String name, long from, long to, long writes, int writerPid, long writerUid, boolean expired) {

    /** The log line: one per change, with the facts an operator asks for first. */
    public String describe() {
        StringBuilder line = new StringBuilder("flag ").append(name).append(' ').append(from).append(" -> ").append(to)
                .append(" by pid ").append(writerPid).append(" uid ").append(writerUid);
        if (expired) {
            line.append(" (expiry reverted it)");
        }
        if (writes > 1) {
            line.append(" (").append(writes).append(" writes since last seen)");
        }
        return line.toString();
    }
}
