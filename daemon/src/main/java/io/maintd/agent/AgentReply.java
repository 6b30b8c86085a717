package io.maintd.agent;

import io.maintd.lifecycle.Mode;
import io.maintd.lifecycle.ModeSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The one line an HAProxy agent check reads, in the agent protocol's words
 * (HAProxy configuration manual, "agent-check"): an ASCII line ended by {@code \n}.
 * <ul>
 *   <li>ready: {@code ready NN%\n}. "ready" puts the server back to READY, cancelling a DRAIN
 *       or MAINT this agent set earlier; HAProxy lets only the agent undo its own state, so every
 *       ready reply carries the word, not just a weight. {@code NN} is the {@code weight} flag
 *       (0..100), a percentage of the weight configured in haproxy.cfg. 0% sends no new
 *       traffic but leaves the server UP in {@code show stat}; use drain to say drain.
 *   <li>drain: {@code drain\n}. No new connections except persistent ones; the weight is left as
 *       it was so the next ready restores it.
 *   <li>maint: {@code maint\n}. No new connections at all; HAProxy stops its health checks.
 * </ul>
 * The words "up"/"down" are never sent: liveness is the job of HAProxy's own {@code check},
 * and an agent that said "down" would have to say "up" later to undo it.
 */
public final class AgentReply {
    private static final ByteBuf DRAIN = line("drain");
    private static final ByteBuf MAINT = line("maint");
    private static final ByteBuf[] READY = new ByteBuf[ModeSource.FULL_WEIGHT + 1];

    static {
        for (int weight = 0; weight <= ModeSource.FULL_WEIGHT; weight++) {
            READY[weight] = line("ready " + weight + "%");
        }
    }

    private AgentReply() {
    }

    /** A fresh view of the shared, never-released reply bytes; writing it frees nothing shared. */
    public static ByteBuf of(Mode mode, int weightPercent) {
        ByteBuf shared = switch (mode) {
            case READY -> READY[weightPercent];
            case DRAIN -> DRAIN;
            case MAINT -> MAINT;
        };
        return shared.duplicate();
    }

    public static ByteBuf of(ModeSource source) {
        return of(source.mode(), source.weightPercent());
    }

    private static ByteBuf line(String words) {
        return Unpooled.unreleasableBuffer(
                Unpooled.directBuffer().writeBytes((words + "\n").getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    }
}
