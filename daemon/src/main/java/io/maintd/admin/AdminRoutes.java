package io.maintd.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Admin paths and what answers them; built once at start: {@code GET}/{@code HEAD} endpoints
 * ({@code /healthz}, {@code /metrics}, {@code /flags}, {@code /status}, the page) and
 * {@code POST} actions (the page's buttons).
 */
public final class AdminRoutes {
    private final Map<String, AdminEndpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, AdminAction> actions = new LinkedHashMap<>();

    public AdminRoutes add(String path, AdminEndpoint endpoint) {
        claim(path);
        endpoints.put(path, endpoint);
        return this;
    }

    public AdminRoutes addAction(String path, AdminAction action) {
        claim(path);
        actions.put(path, action);
        return this;
    }

    private void claim(String path) {
        if (endpoints.containsKey(path) || actions.containsKey(path)) {
            throw new IllegalArgumentException("admin path " + path + " is already taken");
        }
    }

    Map<String, AdminEndpoint> endpoints() {
        return Map.copyOf(endpoints);
    }

    Map<String, AdminAction> actions() {
        return Map.copyOf(actions);
    }

    /** Every path in the order added, endpoints first, for the start-up line and the 404 answer. */
    Set<String> paths() {
        Set<String> all = new LinkedHashSet<>(endpoints.keySet());
        all.addAll(actions.keySet());
        return all;
    }
}
