package io.maintd.fleetsync;

import io.maintd.flagfile.AuditLog;
import io.maintd.flagfile.FlagFileException;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagWriter;
import io.maintd.flagfile.IsoTime;
import io.maintd.fleet.FlagKey;
import io.maintd.fleet.FlagPrecedence;
import io.maintd.fleet.FlagSetting;
import io.maintd.fleet.FleetKeys;
import io.maintd.fleet.FleetValue;
import io.maintd.fleet.KeyValue;
import io.maintd.fleet.Printable;
import io.maintd.fleet.Scope;
import io.maintd.fleet.WatchMessage;
import io.maintd.monitor.Flip;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Mirrors the fleet's flag keys for this host into the local flag file. It holds the keys of
 * the three prefixes the host watches, decides per flag which one wins ({@link FlagPrecedence}),
 * and writes a flag only when the winning key or its revision changed since it last applied it,
 * through the audit log as writer {@code fleet} with the revision. When every key for a flag is
 * gone the fleet lets go, and the flag goes back to the value it had before the fleet took it.
 *
 * <p>Single-threaded: the fleet's event loop calls every method.
 */
final class FlagMirror {
    private static final System.Logger LOG = System.getLogger(FlagMirror.class.getName());
    static final String WRITER = "fleet";

    private final FleetKeys keys;
    private final Set<Scope> scopes;
    private final FlagWriter writer;
    private final AuditLog audit;
    private final MirrorState state;
    private final LongSupplier clock;
    private final long ownPid = ProcessHandle.current().pid();
    /** Valid keys under the watched prefixes, by etcd key. */
    private final Map<String, FlagSetting> settings = new HashMap<>();
    /** Keys that did not decode, with the revision already reported, so each bad write is logged once. */
    private final Map<String, Long> rejected = new HashMap<>();
    /** Flags a key names that this flag file lacks (or holds as counters), reported once each. */
    private final Set<String> unknown = new HashSet<>();
    private final Set<String> overrides = new TreeSet<>();
    private volatile long revision;

    FlagMirror(FleetKeys keys, String service, String host, FlagWriter writer, AuditLog audit, MirrorState state,
               LongSupplier clock) {
        this.keys = keys;
        this.scopes = Set.of(Scope.all(), Scope.service(service), Scope.host(host));
        this.writer = writer;
        this.audit = audit;
        this.state = state;
        this.clock = clock;
    }

    /** The last revision mirrored: a snapshot's, or the newest event's. */
    long revision() {
        return revision;
    }

    /** Fleet-controlled flags a local write has overridden since the fleet last set them. */
    List<String> overrides() {
        return List.copyOf(overrides);
    }

    /**
     * Replaces every key with a snapshot taken at {@code snapshotRevision} (at start, and after a
     * compaction made resuming impossible) and reconciles every flag either side knows.
     */
    void resync(List<KeyValue> kvs, long snapshotRevision) {
        settings.clear();
        Set<String> flags = new TreeSet<>(state.all().keySet());
        for (KeyValue kv : kvs) {
            String flag = accept(kv);
            if (flag != null) {
                flags.add(flag);
            }
        }
        revision = snapshotRevision;
        reconcile(flags, snapshotRevision);
    }

    /** One watch message's events, in order. */
    void apply(List<WatchMessage.Event> events) {
        Set<String> flags = new TreeSet<>();
        long newest = revision;
        for (WatchMessage.Event event : events) {
            KeyValue kv = event.kv();
            newest = Math.max(newest, kv.modRevision());
            String flag;
            if (event.type() == WatchMessage.Type.PUT) {
                flag = accept(kv);
            } else {
                FlagSetting gone = settings.remove(kv.key());
                rejected.remove(kv.key());
                flag = gone != null ? gone.flag() : flagOf(kv.key());
            }
            if (flag != null) {
                flags.add(flag);
            }
        }
        revision = newest;
        reconcile(flags, newest);
    }

    /** Takes a put key in; returns the flag it concerns, or null for a key that does not follow the layout. */
    private String accept(KeyValue kv) {
        FlagKey key;
        try {
            key = keys.parseFlagKey(kv.key());
            if (!scopes.contains(key.scope())) {
                throw new IllegalArgumentException("key " + Printable.key(kv.key()) + " is not for this host");
            }
        } catch (IllegalArgumentException e) {
            reject(kv, e.getMessage());
            settings.remove(kv.key());
            return null;
        }
        try {
            settings.put(kv.key(), new FlagSetting(kv.key(), key, FleetValue.decode(kv.value()), kv.modRevision()));
            rejected.remove(kv.key());
        } catch (IllegalArgumentException e) {
            // A malformed write replaces what the key held: the flag falls back to the next scope.
            settings.remove(kv.key());
            reject(kv, "key " + Printable.key(kv.key()) + ": " + e.getMessage());
        }
        return key.flag();
    }

    private void reject(KeyValue kv, String problem) {
        Long reported = rejected.put(kv.key(), kv.modRevision());
        if (reported == null || reported != kv.modRevision()) {
            LOG.log(System.Logger.Level.WARNING, "fleet: skipping " + problem + " (revision " + kv.modRevision()
                    + "); the other keys still apply");
        }
    }

    private String flagOf(String key) {
        try {
            return keys.parseFlagKey(key).flag();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void reconcile(Set<String> flags, long atRevision) {
        Map<String, FlagSetting> winners = FlagPrecedence.effective(settings.values(), clock.getAsLong());
        boolean changed = false;
        for (String flag : flags) {
            FlagSetting winner = winners.get(flag);
            MirrorState.Control control = state.get(flag);
            if (winner != null) {
                if (control == null || !control.key().equals(winner.etcdKey()) || control.revision() != winner.modRevision()) {
                    changed |= take(flag, winner, control);
                }
            } else if (control != null) {
                changed |= release(flag, control, atRevision);
            }
        }
        if (changed) {
            try {
                state.save();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "fleet: cannot save " + MirrorState.pathFor(writer.reader().path())
                        + ": " + e + "; a restart may not know which flags the fleet controlled");
            }
        }
    }

    /** Writes the winning value; returns true when the state changed. */
    private boolean take(String flag, FlagSetting winner, MirrorState.Control control) {
        Optional<FlagHandle> handle = writable(flag, winner.etcdKey());
        if (handle.isEmpty()) {
            return false;
        }
        FleetValue v = winner.value();
        long current = handle.get().get();
        long base = control == null ? current : control.base();
        try {
            if (v.expires()) {
                writer.setUntil(handle.get(), v.value(), v.expiresAtMillis());
            } else {
                writer.set(handle.get(), v.value());
            }
            audit.appendAs(WRITER, Map.of(), "set", flag, Long.toString(current), Long.toString(v.value()),
                    v.expiresAtMillis(), v.reason().isEmpty() ? "-" : v.reason(),
                    "revision", Long.toString(winner.modRevision()), "key", winner.etcdKey(), "by", v.by().isEmpty() ? "-" : v.by());
        } catch (FlagFileException e) {
            LOG.log(System.Logger.Level.WARNING, "fleet: cannot apply " + winner.etcdKey() + ": " + e.getMessage());
            return false;
        }
        state.put(flag, new MirrorState.Control(base, winner.etcdKey(), winner.modRevision(), v.value(), v.expiresAtMillis()));
        overrides.remove(flag);
        LOG.log(System.Logger.Level.INFO, "fleet: " + flag + " " + current + " -> " + v.value() + " from "
                + winner.etcdKey() + " at revision " + winner.modRevision()
                + (v.expires() ? " until " + IsoTime.format(v.expiresAtMillis()) : "")
                + (v.by().isEmpty() ? "" : " by " + v.by()) + (v.reason().isEmpty() ? "" : ": " + v.reason()));
        return true;
    }

    /** Every key for the flag is gone: back to the value from before the fleet took it. */
    private boolean release(String flag, MirrorState.Control control, long atRevision) {
        Optional<FlagHandle> handle = writable(flag, control.key());
        if (handle.isPresent()) {
            long current = handle.get().get();
            try {
                if (current != control.base()) {
                    writer.set(handle.get(), control.base());
                    audit.appendAs(WRITER, Map.of(), "set", flag, Long.toString(current), Long.toString(control.base()), 0,
                            "the fleet let go (key deleted or expired)",
                            "revision", Long.toString(atRevision), "key", control.key());
                }
            } catch (FlagFileException e) {
                LOG.log(System.Logger.Level.WARNING, "fleet: cannot restore " + flag + ": " + e.getMessage());
                return false;
            }
            LOG.log(System.Logger.Level.INFO, "fleet: " + flag + " " + current + " -> " + control.base()
                    + ", its value before the fleet set it: no key for it since revision " + atRevision);
        }
        state.remove(flag);
        overrides.remove(flag);
        return true;
    }

    /** The operator flag {@code flag} in the flag file, or empty (reported once) when there is none. */
    private Optional<FlagHandle> writable(String flag, String fromKey) {
        Optional<FlagHandle> handle = writer.reader().find(flag);
        if (handle.isPresent() && handle.get().kind() == FlagKind.FLAG) {
            unknown.remove(flag);
            return handle;
        }
        if (unknown.add(flag)) {
            LOG.log(System.Logger.Level.WARNING, "fleet: " + Printable.key(fromKey) + " sets " + flag + ", which "
                    + writer.reader().path() + (handle.isPresent() ? " holds as a daemon counter" : " does not have")
                    + "; skipped (create it with flagctl create " + flag + ")");
        }
        return Optional.empty();
    }

    /**
     * A flip the monitor saw. A write to a fleet-controlled flag by anyone but this daemon is a
     * local override: it stands until the fleet's key for the flag changes (docs/fleet.md).
     */
    void onFlip(Flip flip) {
        MirrorState.Control control = state.get(flip.name());
        if (control == null || flip.writerPid() == ownPid || flip.to() == control.value() && !overrides.contains(flip.name())) {
            return;
        }
        if (overrides.add(flip.name())) {
            LOG.log(System.Logger.Level.WARNING, "fleet: " + flip.name() + " set to " + flip.to() + " locally by pid "
                    + flip.writerPid() + " uid " + flip.writerUid() + " while " + control.key() + " (revision "
                    + control.revision() + ") says " + control.value() + "; the local value stands until that key changes");
        }
    }
}
