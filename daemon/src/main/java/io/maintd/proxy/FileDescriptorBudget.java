package io.maintd.proxy;

import com.sun.management.UnixOperatingSystemMXBean;
import io.maintd.config.ConfigException;
import io.maintd.config.ConfigProblem;
import io.maintd.config.MaintdConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many client connections the process's descriptor limit leaves room for, so that a flood
 * on the proxy port runs into {@code limits.max-connections} long before the process runs out
 * of descriptors, and the admin and agent ports (and the JVM itself) can still accept and open
 * files. A proxied connection may hold two descriptors, the client's and the backend's; {@link
 * #RESERVED} more are kept back.
 *
 * <p>The limit is {@code RLIMIT_NOFILE} as the JVM sees it: HotSpot raises its soft limit to the
 * hard limit at start ({@code -XX:+MaxFDLimit}, on by default), and the operating system MXBean
 * reports that raised value. Under systemd both come from {@code LimitNOFILE=}.
 */
public final class FileDescriptorBudget {
    /**
     * For everything but proxied connections: the admin and agent ports (64 connections each at
     * most), and the JVM's own descriptors (about 45 measured at idle: jars, the flag file, logs,
     * plus 3 per event loop).
     */
    public static final int RESERVED = 512;

    private final long limit;

    public FileDescriptorBudget(long limit) {
        this.limit = limit;
    }

    /** This process's limit; unlimited where the JVM cannot tell (not a Unix). */
    public static FileDescriptorBudget ofThisProcess() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return new FileDescriptorBudget(os instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE);
    }

    public long limit() {
        return limit;
    }

    /**
     * {@code limits.max-connections} as it applies: the configured value, or, when none is
     * configured, all the budget allows.
     *
     * @throws ConfigException naming the key and both numbers when the configured value (or any
     *         connection at all) does not fit in the limit
     */
    public int maxConnections(MaintdConfig config) {
        long allowed = (limit - RESERVED) / 2;
        int configured = config.limits().maxConnections();
        String source = config.source() == null ? "built-in config" : config.source().toString();
        String raise = "raise LimitNOFILE= in maintd.service (or ulimit -n)";
        if (allowed < 1) {
            throw new ConfigException(source, ConfigProblem.of("limits.max-connections", "RLIMIT_NOFILE " + limit
                    + " leaves no descriptor for client connections after the " + RESERVED
                    + " kept for the admin and agent ports and the JVM", raise));
        }
        if (configured == 0) {
            return (int) Math.min(allowed, Integer.MAX_VALUE);
        }
        if (configured > allowed) {
            throw new ConfigException(source, ConfigProblem.of("limits.max-connections", configured
                    + " connections need up to " + (2L * configured + RESERVED) + " file descriptors (a client and a"
                    + " backend connection each, plus " + RESERVED + " for the admin and agent ports and the JVM),"
                    + " but RLIMIT_NOFILE is " + limit, raise + ", or set it to " + allowed + " or less"));
        }
        return configured;
    }
}
