package io.maintd.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/** Admin paths and what answers them; built once at start, e.g. {@code /healthz}, later {@code /metrics}, {@code /flags}, {@code /status}. */
public final class AdminRoutes {
    private final Map<String, AdminEndpoint> endpoints = new LinkedHashMap<>();

    public AdminRoutes add(String path, AdminEndpoint endpoint) {
        if (endpoints.putIfAbsent(path, endpoint) != null) {
            throw new IllegalArgumentException("admin path " + path + " is already taken");
        }
        return this;
    }

    Map<String, AdminEndpoint> endpoints() {
        return Map.copyOf(endpoints);
    }
}
