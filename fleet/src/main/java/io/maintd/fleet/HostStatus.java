package io.maintd.fleet;

import io.maintd.flagfile.FlagFileLayout;
import io.maintd.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a daemon publishes about itself at {@code PREFIX/hosts/SERVICE/HOST}, under its lease:
 *
 * <pre>{"mode":"drain","inflight":3,"conns":12,"requests":50211,"version":"0.1.0","time":1795777881193,
 *  "pid":4242,"started_at":1795777000000,"revision":118,"overrides":["maint"]}</pre>
 *
 * @param mode            {@code ready}, {@code drain} or {@code maint}, as the agent check says it
 * @param timeMillis      when the daemon wrote this report (its clock)
 * @param startedAtMillis when the daemon process started: a new value means it was restarted
 * @param revision        the etcd revision of the last fleet change the daemon mirrored
 * @param overrides       fleet-controlled flags a local {@code flagctl} write has overridden
 */
public record HostStatus(String mode, long inflight, long conns, long requests, String version, long timeMillis,
                         long pid, long startedAtMillis, long revision, List<String> overrides) {
    public static final int MAX_BYTES = 8192;

    public HostStatus {
        overrides = List.copyOf(overrides);
    }

    public boolean ready() {
        return mode.equals("ready");
    }

    /** Drain or maint: out of the pool, as far as the drain budget counts. */
    public boolean unavailable() {
        return !ready();
    }

    public byte[] encode() {
        return new JsonObject().put("mode", mode).put("inflight", inflight).put("conns", conns).put("requests", requests)
                .put("version", version).put("time", timeMillis).put("pid", pid).put("started_at", startedAtMillis)
                .put("revision", revision).putStrings("overrides", overrides)
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    public static HostStatus decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new MalformedJsonException("status is " + bytes.length + " bytes; the limit is " + MAX_BYTES);
        }
        JsonFields json = JsonReader.parseObject(Utf8.strict(bytes));
        String mode = json.string("mode");
        if (!mode.equals("ready") && !mode.equals("drain") && !mode.equals("maint")) {
            throw new MalformedJsonException("mode \"" + Printable.of(mode, 20) + "\" is not ready, drain or maint");
        }
        List<String> overrides = json.strings("overrides");
        for (String name : overrides) {
            if (FlagFileLayout.nameProblem(name) != null) {
                throw new MalformedJsonException("overrides: " + FlagFileLayout.nameProblem(Printable.of(name, 80)));
            }
        }
        return new HostStatus(mode, json.integer("inflight"), json.integer("conns"), json.integer("requests", 0),
                Printable.of(json.string("version", "unknown"), 64), json.integer("time"), json.integer("pid", 0),
                json.integer("started_at", 0), json.integer("revision", 0), overrides);
    }
}
