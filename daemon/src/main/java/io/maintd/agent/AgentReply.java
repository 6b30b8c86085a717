package io.maintd.agent;

import io.maintd.health.DefaultBackend;
import io.maintd.flagfile.Mode;
import io.maintd.lifecycle.ModeSource;
import io.maintd.flagfile.StandardFlags;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The one line an HAProxy agent check reads, in the agent protocol's words
 * (HAProxy configuration manual, "agent-check"): an ASCII line ended by {@code \n}, words in
 * any order, an optional description after {@code #} to the end of the line. It carries two
 * independent facts, as HAProxy keeps two independent states per server:
 * <ul>
 *   <li>the administrative state, from the mode:
 *     <ul>
 *       <li>ready: {@code ready NN%}. "ready" puts the server back to READY, cancelling a DRAIN
 *           or MAINT this agent set earlier; HAProxy lets only the agent undo its own state, so
 *           every ready reply carries the word, not just a weight. {@code NN} is the
 *           {@code weight} flag (0..100), a percentage of the weight configured in haproxy.cfg.
 *           0% sends no new traffic but leaves the server UP in {@code show stat}; use drain to
 *           say drain.</li>
 *       <li>drain: {@code drain}. No new connections except persistent ones; the weight is left
 *           as it was so the next ready restores it.</li>
 *       <li>maint: {@code maint}. No new connections at all; HAProxy stops its health checks.</li>
 *     </ul></li>
 *   <li>the operational state, from the default backend's health: {@code up} while it has a
 *       server up, {@code down #why} while it has none. The space matters: HAProxy takes
 *       {@code #} as the start of the description only at the start of a word, and would read
 *       {@code down#why} as one unknown word. HAProxy's own {@code check} reaches maintd,
 *       which is alive; only the agent can tell it the application behind it is not. A "down"
 *       must be undone by an "up" from the agent (HAProxy's rule again), so every reply says one
 *       or the other, also after a restart of maintd.</li>
 * </ul>
 * Examples: {@code ready 100% up}, {@code drain up}, {@code ready 100% down #backend app has no
 * server up (127.0.0.1:9001: request connect: Connection refused)}.
 */
public final class AgentReply {
    private static final ByteBuf DRAIN = line(Mode.DRAIN.word() + " up");
    private static final ByteBuf MAINT = line(Mode.MAINT.word() + " up");
    private static final ByteBuf[] READY = new ByteBuf[StandardFlags.FULL_WEIGHT + 1];

    static {
        for (int weight = 0; weight <= StandardFlags.FULL_WEIGHT; weight++) {
            READY[weight] = line(ready(weight) + " up");
        }
    }

    private AgentReply() {
    }

    /**
     * A fresh view of the shared, never-released reply bytes while the backend is up (no
     * allocation on the common path); a new buffer naming the reason while it is down.
     *
     * @param downReason null while the default backend is up; printable ASCII without {@code \n}
     */
    public static ByteBuf of(Mode mode, int weightPercent, String downReason) {
        if (downReason != null) {
            String admin = mode == Mode.READY ? ready(weightPercent) : mode.word();
            return Unpooled.wrappedBuffer((admin + " down #" + downReason + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        ByteBuf shared = switch (mode) {
            case READY -> READY[weightPercent];
            case DRAIN -> DRAIN;
            case MAINT -> MAINT;
        };
        return shared.duplicate();
    }

    public static ByteBuf of(ModeSource source, DefaultBackend backend) {
        return of(source.mode(), source.weightPercent(), backend.downReason());
    }

    /** {@code ready NN%}: the only state word that carries the weight. */
    private static String ready(int weightPercent) {
        return Mode.READY.word() + " " + weightPercent + "%";
    }

    private static ByteBuf line(String words) {
        return Unpooled.unreleasableBuffer(
                Unpooled.directBuffer().writeBytes((words + "\n").getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    }
}
