package io.maintd.health;

import static io.maintd.flagfile.StandardFlags.BACKENDS_UP;
import static io.maintd.flagfile.StandardFlags.SERVERS_UP_PREFIX;

import io.maintd.flagfile.FlagFileLayout;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.flagfile.FlagWriter;
import io.maintd.flagfile.StandardFlags;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ObjLongConsumer;

/**
 * Backend health as counters in the flag file, so {@code flagctl get/wait/status}, scripts and
 * rule conditions read it without HTTP:
 * <ul>
 *   <li>{@value StandardFlags#BACKENDS_UP}: how many of the serving config's backends have at least one
 *       server up;</li>
 *   <li>{@value StandardFlags#SERVERS_UP_PREFIX}{@code NAME}: how many servers of backend {@code NAME} are
 *       up. Only for backend names that make a valid flag name (lower case, at most 63 bytes
 *       in all); others are logged once per load and left out.</li>
 * </ul>
 * Counted on the health loop at each change and written by the daemon's flag monitor on its next
 * tick ({@link #publishTo}), at most 100 ms later: the monitor checks the file before it touches
 * the mapping (a truncated file is restored first), and defines again a counter someone deleted,
 * as it does for its own counters. A write from the health loop could meet a truncated file.
 */
public final class BackendCounters {
    private static final System.Logger LOG = System.getLogger(BackendCounters.class.getName());

    private final FlagWriter writer;
    private final FlagHandle backendsUp;
    /** Defined at start and at reloads (plan thread), counted on the health loop. */
    private final Map<String, FlagHandle> serversUp = new ConcurrentHashMap<>();
    /** The last counts, set on the health loop, written on the monitor thread. */
    private volatile Map<FlagHandle, Long> counts = Map.of();
    private boolean staleRemoved;

    public BackendCounters(FlagWriter writer) {
        this.writer = writer;
        this.backendsUp = writer.define(BACKENDS_UP, FlagKind.COUNTER, 0).handle();
    }

    /** The counter's name for {@code backend}, or null when that would not be a valid flag name. */
    public static String serversUpName(String backend) {
        String name = SERVERS_UP_PREFIX + backend;
        return FlagFileLayout.nameProblem(name) == null ? name : null;
    }

    /**
     * Defines the counters of {@code backends} before their rules are compiled. The first call
     * (at start) also deletes the {@code servers_up.} counters of backends this config does not
     * have: left by an earlier run, they would show its last value as if it were live.
     */
    void define(Collection<String> backends) {
        if (!staleRemoved) {
            staleRemoved = true;
            removeStale(backends);
        }
        for (String backend : backends) {
            if (!serversUp.containsKey(backend)) {
                FlagHandle handle = defineServersUp(writer, backend);
                if (handle != null) {
                    serversUp.put(backend, handle);
                }
            }
        }
    }

    /** The counters the daemon defines for {@code backends}, for a scratch copy that checks a config's rules. */
    public static void defineFor(FlagWriter writer, Collection<String> backends) {
        writer.define(BACKENDS_UP, FlagKind.COUNTER, 0);
        backends.forEach(backend -> defineServersUp(writer, backend));
    }

    private static FlagHandle defineServersUp(FlagWriter writer, String backend) {
        String name = serversUpName(backend);
        if (name == null) {
            LOG.log(System.Logger.Level.WARNING, "backend " + backend + " has no " + SERVERS_UP_PREFIX
                    + " counter in the flag file: " + FlagFileLayout.nameProblem(SERVERS_UP_PREFIX + backend));
            return null;
        }
        return writer.define(name, FlagKind.COUNTER, 0).handle();
    }

    private void removeStale(Collection<String> backends) {
        List<String> kept = backends.stream().map(BackendCounters::serversUpName).toList();
        for (FlagSnapshot slot : writer.reader().list()) {
            if (slot.kind() == FlagKind.COUNTER && slot.name().startsWith(SERVERS_UP_PREFIX) && !kept.contains(slot.name())) {
                writer.delete(slot.name());
                LOG.log(System.Logger.Level.INFO, "deleted counter " + slot.name() + ": no such backend in this config");
            }
        }
    }

    /** On the health loop: the counts for what the config serves; backends it no longer serves read 0. */
    void publish(Map<String, List<ServerHealth>> serving) {
        Map<FlagHandle, Long> next = new LinkedHashMap<>();
        long backendsWithServer = 0;
        for (Map.Entry<String, FlagHandle> e : serversUp.entrySet()) {
            List<ServerHealth> servers = serving.get(e.getKey());
            next.put(e.getValue(), servers == null ? 0 : servers.stream().filter(ServerHealth::isUp).count());
        }
        for (List<ServerHealth> servers : serving.values()) {
            if (servers.stream().anyMatch(ServerHealth::isUp)) {
                backendsWithServer++;
            }
        }
        next.put(backendsUp, backendsWithServer);
        counts = next;
    }

    /** On the monitor's tick: hands the last counts to {@code out}, which writes them into the file. */
    public void publishTo(ObjLongConsumer<FlagHandle> out) {
        counts.forEach(out::accept);
    }
}
