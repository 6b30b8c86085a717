package io.maintd.proxy;

import io.maintd.config.MaintdConfig;
import io.maintd.health.BackendHealth;
import io.maintd.page.PageSet;
import io.maintd.rules.Router;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything a request is served by, swapped as one unit: a reload builds a new ServingConfig
 * completely (page read, rules compiled, backends laid out) and publishes it with one volatile
 * write, so a request sees the old set or the new set, never half of each. Each request reads
 * it once and keeps that snapshot to its end.
 */
public record ServingConfig(MaintdConfig config, Router router, PageSet pages, Map<String, BackendServers> backends) {

    /**
     * Reads the page file; throws {@link io.maintd.page.PageLoadException} naming it on failure.
     *
     * @param health the servers' health for this config, planned but maybe not yet committed
     */
    public static ServingConfig of(MaintdConfig config, Router router, BackendHealth.Plan health) {
        Map<String, BackendServers> backends = new HashMap<>();
        config.backends().keySet().forEach(name -> backends.put(name, new BackendServers(name, health.servers(name))));
        return new ServingConfig(config, router, PageSet.load(config.maintenance()), Map.copyOf(backends));
    }

    public MaintdConfig.Limits limits() {
        return config.limits();
    }
}
