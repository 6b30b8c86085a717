package io.maintd.admin;

import io.maintd.flagfile.FlagFileKeeper;
import io.maintd.health.BackendHealth;
import io.maintd.health.ServerHealth;
import io.maintd.json.JsonObject;
import io.maintd.lifecycle.ModeSource;
import io.maintd.proxy.TrafficCounters;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code /status}: what the instance is doing now — mode, live counters, how long it has run,
 * which config generation serves (a reload increments it), whether its flag file is intact
 * (or truncated, deleted, replaced), the health of every backend server and, with {@code fleet:},
 * whether it follows etcd or keeps its last values, in one JSON object.
 */
public final class StatusEndpoint implements AdminEndpoint {
    private final ModeSource modes;
    private final TrafficCounters traffic;
    private final LongSupplier configGeneration;
    private final Path flagsFile;
    private final Supplier<FlagFileKeeper.Condition> flagsFileCondition;
    private final BackendHealth health;
    private final Supplier<JsonObject> fleet;
    private final long pid = ProcessHandle.current().pid();
    private final long startedAtMillis = System.currentTimeMillis();

    public StatusEndpoint(ModeSource modes, TrafficCounters traffic, LongSupplier configGeneration,
                          Path flagsFile, Supplier<FlagFileKeeper.Condition> flagsFileCondition,
                          BackendHealth health, Supplier<JsonObject> fleet) {
        this.modes = modes;
        this.traffic = traffic;
        this.configGeneration = configGeneration;
        this.flagsFile = flagsFile;
        this.flagsFileCondition = flagsFileCondition;
        this.health = health;
        this.fleet = fleet;
    }

    @Override
    public FullHttpResponse respond(FullHttpRequest request) {
        long now = System.currentTimeMillis();
        FlagFileKeeper.Condition file = flagsFileCondition.get();
        return JsonResponse.ok(new JsonObject()
                .put("mode", modes.mode().word())
                .put("pid", pid)
                .putTime("started_at", startedAtMillis)
                .put("uptime_ms", now - startedAtMillis)
                .put("config_generation", configGeneration.getAsLong())
                .put("flags_file", flagsFile.toString())
                .put("flags_file_state", file.state().word())
                .put("flags_file_problem", file.problem())
                .put("counters", new JsonObject()
                        .put("conns", traffic.openConnections())
                        .put("inflight", traffic.inFlight())
                        .put("requests", traffic.requests()))
                .put("backend_down", health.downReason())
                .put("backends", backends())
                .put("fleet", fleet.get()));
    }

    private List<JsonObject> backends() {
        List<JsonObject> out = new ArrayList<>();
        for (BackendHealth.BackendView backend : health.view()) {
            List<JsonObject> servers = new ArrayList<>();
            for (ServerHealth server : backend.servers()) {
                servers.add(new JsonObject()
                        .put("server", server.label())
                        .put("state", server.isUp() ? "up" : "down")
                        .putTime("since", server.sinceMillis())
                        .put("reason", server.reason()));
            }
            out.add(new JsonObject()
                    .put("name", backend.name())
                    .put("default", backend.isDefault())
                    .put("check", backend.check())
                    .put("servers_up", backend.servers().stream().filter(ServerHealth::isUp).count())
                    .put("servers", servers));
        }
        return out;
    }
}
