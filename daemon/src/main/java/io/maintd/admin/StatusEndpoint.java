package io.maintd.admin;

import io.maintd.flagfile.FlagFileKeeper;
import io.maintd.health.BackendHealth;
import io.maintd.health.ServerHealth;
import io.maintd.json.JsonObject;
import io.maintd.lifecycle.ModeSource;
import io.maintd.proxy.TrafficCounters;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code /status}: what the instance is doing now — mode, live counters, how long it has run,
 * which config generation serves (a reload increments it), whether its flag file is intact
 * (or truncated, deleted, replaced) and the health of every backend server, in one JSON object;
 * then the sections the daemon adds ({@link #with}): why the mode is what it is, every flag, the
 * audit tail, and so on. The admin page polls it, so it holds everything the page shows;
 * sections added with {@link #onRequest} (the traffic history) only come when the query names
 * them, e.g. {@code /status?history}.
 */
public final class StatusEndpoint implements AdminEndpoint {
    private record Section(String key, Supplier<String> json, boolean onRequest) {
    }

    private final ModeSource modes;
    private final TrafficCounters traffic;
    private final LongSupplier configGeneration;
    private final Path flagsFile;
    private final Supplier<FlagFileKeeper.Condition> flagsFileCondition;
    private final BackendHealth health;
    private final long pid = ProcessHandle.current().pid();
    private final long startedAtMillis = System.currentTimeMillis();
    private final List<Section> sections = new ArrayList<>();

    public StatusEndpoint(ModeSource modes, TrafficCounters traffic, LongSupplier configGeneration,
                          Path flagsFile, Supplier<FlagFileKeeper.Condition> flagsFileCondition,
                          BackendHealth health) {
        this.modes = modes;
        this.traffic = traffic;
        this.configGeneration = configGeneration;
        this.flagsFile = flagsFile;
        this.flagsFileCondition = flagsFileCondition;
        this.health = health;
    }

    /** Adds {@code "key": JSON} to every answer; {@code json} runs on the event loop and must not block. */
    public StatusEndpoint with(String key, Supplier<String> json) {
        sections.add(new Section(key, json, false));
        return this;
    }

    /** Adds {@code "key": JSON} only to answers whose query names {@code key}. */
    public StatusEndpoint onRequest(String key, Supplier<String> json) {
        sections.add(new Section(key, json, true));
        return this;
    }

    @Override
    public FullHttpResponse respond(FullHttpRequest request) {
        long now = System.currentTimeMillis();
        FlagFileKeeper.Condition file = flagsFileCondition.get();
        JsonObject status = new JsonObject()
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
                .put("backends", backends());
        var asked = new QueryStringDecoder(request.uri()).parameters();
        for (Section section : sections) {
            if (!section.onRequest() || asked.containsKey(section.key())) {
                status.raw(section.key(), section.json().get());
            }
        }
        return JsonResponse.ok(status);
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
