package io.maintd.daemon;

import io.maintd.config.ConfigException;
import io.maintd.config.ConfigLoader;
import io.maintd.config.MaintdConfig;
import io.maintd.flagfile.FlagFileException;
import io.maintd.flagfile.FlagReader;
import io.maintd.health.BackendHealth;
import io.maintd.lifecycle.SystemdNotifier;
import io.maintd.page.PageLoadException;
import io.maintd.proxy.ServingConfig;
import io.maintd.proxy.ProxyServer;
import io.maintd.rules.RuleCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * SIGHUP: read the config file again and, only when all of it is valid (keys, rules compiled
 * against the live flag file, the page read), swap it into the proxy in one step. Requests
 * already running finish on the old config; connections and counters are untouched because
 * neither the listener nor the counters are rebuilt. A file that fails validation changes
 * nothing: the old config keeps serving and the log says why.
 *
 * <p>What a reload cannot change without rebinding or reopening — the listen, admin and agent
 * addresses and the flag file — keeps its old value, and the log says it needs a restart.
 */
public final class ReloadController {
    private static final System.Logger LOG = System.getLogger(ReloadController.class.getName());

    private final ProxyServer proxy;
    private final BackendHealth health;
    private final FlagReader flags;
    private final SystemdNotifier notifier;
    private final Supplier<Map<String, String>> environment;
    private final ConfigGenerations generations;

    public ReloadController(ProxyServer proxy, BackendHealth health, FlagReader flags, SystemdNotifier notifier,
                            Supplier<Map<String, String>> environment, ConfigGenerations generations) {
        this.proxy = proxy;
        this.health = health;
        this.flags = flags;
        this.notifier = notifier;
        this.environment = environment;
        this.generations = generations;
    }

    /** How many configs this process has served: 1 at start, plus one per successful reload. */
    public long generation() {
        return generations.generation();
    }

    /** @return true when the new config is now serving */
    public synchronized boolean reload() {
        MaintdConfig running = proxy.serving().config();
        if (running.source() == null) {
            LOG.log(System.Logger.Level.WARNING, "reload: ignored, this config is built in and has no file to read again");
            generations.reject();
            return false;
        }
        notifier.reloading();
        try {
            MaintdConfig loaded = ConfigLoader.load(running.source(), environment.get(), RuleCompiler::check);
            MaintdConfig next = keepRestartOnly(running, loaded);
            // The plan defines the new backends' counters first, so rules may name them.
            BackendHealth.Plan servers = health.plan(next);
            ServingConfig serving = ServingConfig.of(next, RuleCompiler.compile(next, flags), servers);
            servers.commit();
            proxy.reload(serving);
            long generation = generations.apply();
            LOG.log(System.Logger.Level.INFO, "reload: " + running.source() + " is serving as config generation "
                    + generation + " (" + next.rules().size() + " rules, backends " + next.backends().keySet() + ")");
            return true;
        } catch (ConfigException | PageLoadException | FlagFileException e) {
            LOG.log(System.Logger.Level.WARNING, "reload: rejected, config generation " + generations.generation()
                    + " keeps serving: " + e.getMessage());
            generations.reject();
            return false;
        } finally {
            notifier.ready();
        }
    }

    /** {@code loaded} with the values that need a restart taken from {@code running}, each difference logged. */
    private static MaintdConfig keepRestartOnly(MaintdConfig running, MaintdConfig loaded) {
        List<String> ignored = new ArrayList<>();
        compare(ignored, "flags.file", running.flagsFile(), loaded.flagsFile());
        compare(ignored, "listen", running.listen(), loaded.listen());
        compare(ignored, "admin", running.admin(), loaded.admin());
        compare(ignored, "admin.allowed-hosts", running.adminAllowedHosts(), loaded.adminAllowedHosts());
        // The token itself never goes to the log.
        if (!Objects.equals(running.adminToken(), loaded.adminToken())) {
            ignored.add("admin.token changed");
        }
        compare(ignored, "agent", running.agent(), loaded.agent());
        compare(ignored, "balancers.window", running.balancersWindow(), loaded.balancersWindow());
        compare(ignored, "log", running.log(), loaded.log());
        compare(ignored, "fleet", running.fleet(), loaded.fleet());
        compare(ignored, "transport", running.transport(), loaded.transport());
        for (String change : ignored) {
            LOG.log(System.Logger.Level.WARNING, "reload: " + change + " needs a restart; keeping the running value");
        }
        return new MaintdConfig(loaded.source(), running.flagsFile(), running.listen(), running.admin(),
                running.adminAllowedHosts(), running.adminToken(), running.agent(),
                loaded.backends(), loaded.maintenance(), loaded.limits(), loaded.drain(), running.balancersWindow(),
                loaded.rules(), running.log(), running.fleet(), running.transport());
    }

    private static void compare(List<String> ignored, String key, Object running, Object loaded) {
        if (!Objects.equals(running, loaded)) {
            ignored.add(key + " changed from " + running + " to " + loaded);
        }
    }
}
