package io.maintd.admin;

import io.maintd.config.AddressSyntax;
import io.maintd.flagfile.JsonObject;
import io.maintd.proxy.BackendServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /status}'s {@code backends}: each backend of the serving config with its servers and
 * whether each is taken now ({@code "up": false} while it backs off after a refused connect),
 * sorted by name: {@code [{"name":"app","servers":[{"address":"127.0.0.1:9001","up":true}]}]}.
 */
public final class BackendsSection {
    private final Supplier<Map<String, BackendServers>> backends;

    /** @param backends read per answer, so a reload's backends show at once */
    public BackendsSection(Supplier<Map<String, BackendServers>> backends) {
        this.backends = backends;
    }

    public String json() {
        List<JsonObject> out = new ArrayList<>();
        backends.get().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(backend -> {
            List<JsonObject> servers = new ArrayList<>();
            backend.getValue().upNow().forEach((address, up) ->
                    servers.add(new JsonObject().put("address", AddressSyntax.format(address)).put("up", up)));
            out.add(new JsonObject().put("name", backend.getKey()).put("servers", servers));
        });
        return JsonObject.array(out);
    }
}
