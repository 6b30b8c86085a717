package io.maintd.notice;

import io.maintd.json.JsonObject;
import io.maintd.flagfile.ModeNotice;
import io.maintd.flagfile.Mode;
import io.maintd.lifecycle.ModeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Whether the load balancers have noticed the current mode, as a fact rather than a guess: after
 * each change of mode, "noticed" holds once every peer that probed within the window
 * ({@code balancers.window}, a minute by default) has been answered the new mode at least once
 * since the change. Evaluated on the monitor thread every tick; the change itself is seen by the
 * tick too, so an answer given in the instant between a flip and the next tick is not counted
 * (it only makes "noticed" wait for the next probe, never come early).
 *
 * <p>With no peer within the window there is nobody to notice: that is {@code no-balancer} once
 * the daemon has run for a whole window (before that a balancer may simply not have asked yet),
 * and {@code pending} until then.
 */
public final class NoticeTracker {
    /** One evaluation: the mode, since when, and each recent peer with whether it has been told. */
    public record Notice(Mode mode, long changedAtMillis, long state, List<Peer> peers) {
        /** The mode as the {@code mode} counter holds it. */
        public long modeCode() {
            return switch (mode) {
                case READY -> ModeNotice.READY;
                case DRAIN -> ModeNotice.DRAIN;
                case MAINT -> ModeNotice.MAINT;
            };
        }

        /** {@code noticed}, {@code pending} or {@code no-balancer}. */
        public String stateWord() {
            return state == ModeNotice.NOTICED_YES ? "noticed" : state == ModeNotice.NO_BALANCER ? "no-balancer" : "pending";
        }

        /** {@code /status}'s {@code noticed} section. */
        public JsonObject json() {
            List<JsonObject> items = new ArrayList<>();
            for (Peer peer : peers) {
                items.add(new JsonObject().put("via", peer.probe().via().label())
                        .put("address", peer.probe().address().getHostAddress())
                        .putTime("last_probe_at", peer.probe().answeredAtMillis())
                        .put("answered", peer.probe().answered().word())
                        .put("noticed", peer.noticed()));
            }
            return new JsonObject().put("state", stateWord()).put("mode", mode.word())
                    .putTime("mode_since", changedAtMillis).put("balancers", items);
        }
    }

    /** A peer within the window and whether it has been answered the current mode since the change. */
    public record Peer(ProbeLog.Probe probe, boolean noticed) {
    }

    private final ModeSource modes;
    private final ProbeLog probes;
    private final LongSupplier windowMillis;
    private final long startedAtMillis;
    private Mode mode;
    private long changedAtMillis;

    /**
     * @param windowMillis     read at every evaluation, so a reload's {@code balancers.window} applies
     * @param startedAtMillis  when the daemon started: the current mode counts as changed then
     */
    public NoticeTracker(ModeSource modes, ProbeLog probes, LongSupplier windowMillis, long startedAtMillis) {
        this.modes = modes;
        this.probes = probes;
        this.windowMillis = windowMillis;
        this.startedAtMillis = startedAtMillis;
        this.mode = modes.mode();
        this.changedAtMillis = startedAtMillis;
    }

    /** Call from one thread only (the monitor's). */
    public Notice evaluate(long nowMillis) {
        Mode now = modes.mode();
        if (now != mode) {
            mode = now;
            changedAtMillis = nowMillis;
        }
        long window = windowMillis.getAsLong();
        List<Peer> peers = new ArrayList<>();
        boolean all = true;
        for (ProbeLog.Probe probe : probes.since(nowMillis - window)) {
            boolean told = probe.answered() == mode && probe.answeredAtMillis() >= changedAtMillis;
            all &= told;
            peers.add(new Peer(probe, told));
        }
        peers.sort(Comparator.comparing((Peer p) -> p.probe().address().getHostAddress()).thenComparing(p -> p.probe().via()));
        long state;
        if (peers.isEmpty()) {
            state = nowMillis - startedAtMillis >= window ? ModeNotice.NO_BALANCER : ModeNotice.PENDING;
        } else {
            state = all ? ModeNotice.NOTICED_YES : ModeNotice.PENDING;
        }
        return new Notice(mode, changedAtMillis, state, List.copyOf(peers));
    }
}
