package io.maintd.cli;

import static io.maintd.flagfile.StandardFlags.BACKENDS_UP;
import static io.maintd.flagfile.StandardFlags.SERVERS_UP_PREFIX;

import io.maintd.command.CommandSpec;
import io.maintd.flagfile.DaemonStatus;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.flagfile.IsoTime;
import io.maintd.flagfile.Mode;
import io.maintd.flagfile.ModeNotice;
import io.maintd.flagfile.ScheduledWindow;
import io.maintd.flagfile.StandardFlags;
import io.maintd.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code flagctl status}: the answer to "what state is this host in": daemon alive or not,
 * mode in HAProxy's words, the daemon's published counters, its backends' health, and flags
 * due to revert.
 */
final class StatusCommand implements Command {
    /** The counters the daemon publishes, in the order an operator reads them. */
    static final List<String> COUNTERS = List.of(StandardFlags.CONNS, StandardFlags.INFLIGHT, StandardFlags.REQUESTS);

    private static final CommandSpec SPEC = CommandSpec.command("status", "Show daemon, mode, counters, expiring flags and scheduled windows.")
            .detail("Mode: maint if maint > 0, else drain if drain > 0, else ready (a missing flag counts as 0).")
            .detail("Noticed: whether every load balancer probing the daemon has been told the mode it answers.")
            .detail("The daemon is alive when its pid runs and its heartbeat is at most "
                    + DaemonStatus.STALE_AFTER_MILLIS / 1000 + "s old.")
            .detail("A daemon pid that runs but holds no lock on this file serves another one: this file was")
            .detail("deleted or replaced at the path after maintd started (read from /proc/locks).");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(Invocation in) {
        long now = System.currentTimeMillis();
        try (FlagFile file = in.openForReading()) {
            FlagReader reader = file.reader();
            List<FlagSnapshot> flags = reader.list();
            DaemonStatus daemon = reader.daemon();
            String elsewhere = DaemonServing.problem(in.file, daemon);
            boolean alive = elsewhere == null && daemon.alive(now);
            long maint = valueOf(flags, StandardFlags.MAINT);
            long drain = valueOf(flags, StandardFlags.DRAIN);
            String mode = Mode.of(maint, drain).word();
            SnapshotText text = new SnapshotText(UserNames.load(), now);
            List<FlagSnapshot> expiring = new ArrayList<>();
            for (FlagSnapshot s : flags) {
                if (s.expires()) {
                    expiring.add(s);
                }
            }
            if (in.json) {
                printJson(in, daemon, alive, elsewhere, now, mode, maint, drain, flags, expiring, text, reader.windows());
            } else {
                printText(in, daemon, alive, elsewhere, now, mode, maint, drain, flags, expiring, text, reader.windows());
            }
            if (!expiring.isEmpty() || !reader.windows().isEmpty()) {
                SnapshotText.warnIfUnenforced(in, reader, now);
            }
        }
        return ExitCode.OK.code;
    }

    private static void printText(Invocation in, DaemonStatus daemon, boolean alive, String elsewhere, long now, String mode,
                                  long maint, long drain, List<FlagSnapshot> flags, List<FlagSnapshot> expiring,
                                  SnapshotText text, List<ScheduledWindow> windows) {
        in.out.println("file:     " + in.file);
        in.out.println("daemon:   " + (elsewhere != null ? "not serving this file: " + elsewhere : daemonText(daemon, alive, now)));
        in.out.println("mode:     " + mode + " (maint=" + maint + ", drain=" + drain + ")");
        StringBuilder counters = new StringBuilder();
        for (String name : COUNTERS) {
            FlagSnapshot s = counter(flags, name);
            counters.append(counters.length() == 0 ? "" : " ").append(name).append('=')
                    .append(s != null ? Long.toString(s.value()) : "-");
        }
        in.out.println("counters: " + counters + (alive ? "" : " (not live: no daemon)"));
        in.out.println("backends: " + backendsText(flags));
        in.out.println("noticed:  " + noticedText(flags, alive));
        if (expiring.isEmpty()) {
            in.out.println("expiring: none");
        } else {
            for (FlagSnapshot s : expiring) {
                in.out.println("expiring: " + s.name() + "=" + s.value() + " " + text.expiry(s)
                        + " (at " + IsoTime.format(s.expiresAtMillis()) + ")");
            }
        }
        if (windows.isEmpty()) {
            in.out.println("windows:  none");
        }
        for (ScheduledWindow w : windows) {
            in.out.println("window:   " + w.flag() + "=" + SnapshotText.window(w, now));
        }
    }

    /** Whether the load balancers have been told the mode, from the daemon's counters. */
    private static String noticedText(List<FlagSnapshot> flags, boolean alive) {
        FlagSnapshot noticed = find(flags, ModeNotice.NOTICED);
        FlagSnapshot balancers = find(flags, ModeNotice.BALANCERS);
        FlagSnapshot answering = find(flags, ModeNotice.MODE);
        if (!alive || noticed == null || balancers == null || answering == null) {
            return "- (no daemon answers the load balancers)";
        }
        String told = " (the daemon answers " + ModeNotice.word(answering.value()) + ")";
        if (noticed.value() == ModeNotice.NOTICED_YES) {
            return "yes, by " + balancers.value() + " balancer(s)" + told;
        }
        if (noticed.value() == ModeNotice.NO_BALANCER) {
            return "no load balancer probes this instance" + told;
        }
        return "not yet (" + balancers.value() + " balancer(s) probing)" + told;
    }

    /** {@code 1 up (servers up: app=1, api=0)}, or {@code -} before a daemon with health checks ran on the file. */
    private static String backendsText(List<FlagSnapshot> flags) {
        FlagSnapshot up = counter(flags, BACKENDS_UP);
        if (up == null) {
            return "-";
        }
        StringBuilder servers = new StringBuilder();
        for (FlagSnapshot s : serversUp(flags)) {
            servers.append(servers.length() == 0 ? " (servers up: " : ", ")
                    .append(s.name().substring(SERVERS_UP_PREFIX.length())).append('=').append(s.value());
        }
        return up.value() + " up" + (servers.length() == 0 ? "" : servers + ")");
    }

    private static List<FlagSnapshot> serversUp(List<FlagSnapshot> flags) {
        List<FlagSnapshot> out = new ArrayList<>();
        for (FlagSnapshot s : flags) {
            if (s.kind() == FlagKind.COUNTER && s.name().startsWith(SERVERS_UP_PREFIX)) {
                out.add(s);
            }
        }
        return out;
    }

    private static FlagSnapshot counter(List<FlagSnapshot> flags, String name) {
        FlagSnapshot s = find(flags, name);
        return s != null && s.kind() == FlagKind.COUNTER ? s : null;
    }

    private static String daemonText(DaemonStatus daemon, boolean alive, long now) {
        if (alive) {
            return "alive, pid " + daemon.pid() + ", heartbeat " + DurationText.ago(daemon.heartbeatAtMillis(), now)
                    + ", up " + DurationText.format(now - daemon.startedAtMillis());
        }
        if (daemon.pid() != 0) {
            return "not running (pid " + daemon.pid() + " did not exit cleanly; last heartbeat "
                    + DurationText.ago(daemon.heartbeatAtMillis(), now) + ")";
        }
        return daemon.heartbeatAtMillis() == 0 ? "not running (never started on this file)"
                : "not running (last heartbeat " + DurationText.ago(daemon.heartbeatAtMillis(), now) + ")";
    }

    private static void printJson(Invocation in, DaemonStatus daemon, boolean alive, String elsewhere, long now, String mode,
                                  long maint, long drain, List<FlagSnapshot> flags, List<FlagSnapshot> expiring,
                                  SnapshotText text, List<ScheduledWindow> windows) {
        JsonObject daemonJson = new JsonObject().put("alive", alive).put("pid", daemon.pid())
                .put("problem", elsewhere)
                .putOrNull("heartbeat_age_ms", daemon.heartbeatAtMillis() != 0, daemon.heartbeatAgeMillis(now))
                .put("started_at", daemon.startedAtMillis() == 0 ? null : IsoTime.format(daemon.startedAtMillis()));
        JsonObject counters = new JsonObject();
        for (String name : COUNTERS) {
            FlagSnapshot s = counter(flags, name);
            counters.putOrNull(name, s != null, s != null ? s.value() : 0);
        }
        FlagSnapshot up = counter(flags, BACKENDS_UP);
        JsonObject servers = new JsonObject();
        for (FlagSnapshot s : serversUp(flags)) {
            servers.put(s.name().substring(SERVERS_UP_PREFIX.length()), s.value());
        }
        JsonObject backends = new JsonObject().putOrNull(BACKENDS_UP, up != null, up != null ? up.value() : 0)
                .put("servers_up", servers);
        List<JsonObject> expiringJson = new ArrayList<>();
        for (FlagSnapshot s : expiring) {
            expiringJson.add(text.json(s));
        }
        FlagSnapshot noticed = find(flags, ModeNotice.NOTICED);
        FlagSnapshot balancers = find(flags, ModeNotice.BALANCERS);
        FlagSnapshot answering = find(flags, ModeNotice.MODE);
        JsonObject notice = new JsonObject()
                .put("noticed", noticed == null ? null : noticed.value() == ModeNotice.NOTICED_YES ? "yes"
                        : noticed.value() == ModeNotice.NO_BALANCER ? "no-balancer" : "pending")
                .putOrNull("balancers", balancers != null, balancers == null ? 0 : balancers.value())
                .put("daemon_mode", answering == null ? null : ModeNotice.word(answering.value()));
        in.out.println(new JsonObject().put("file", in.file.toString()).raw("daemon", daemonJson.toString())
                .put("mode", mode).put("maint", maint).put("drain", drain)
                .raw("counters", counters.toString()).put("backends", backends).raw("balancers", notice.toString())
                .raw("expiring", JsonObject.array(expiringJson))
                .raw("windows", JsonObject.array(windows.stream().map(w -> SnapshotText.json(w, now)).toList())));
    }

    private static FlagSnapshot find(List<FlagSnapshot> flags, String name) {
        for (FlagSnapshot s : flags) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static long valueOf(List<FlagSnapshot> flags, String name) {
        FlagSnapshot s = find(flags, name);
        return s == null ? 0 : s.value();
    }
}
