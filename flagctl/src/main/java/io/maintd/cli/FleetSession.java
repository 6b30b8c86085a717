package io.maintd.cli;

import io.maintd.fleet.EtcdClient;
import io.maintd.fleet.EtcdEndpoints;
import io.maintd.fleet.EtcdException;
import io.maintd.fleet.EtcdUnavailableException;
import io.maintd.fleet.FleetKeys;
import io.maintd.fleet.HostStatus;
import io.maintd.fleet.KeyValue;
import io.maintd.fleet.LogEntry;
import io.maintd.fleet.MalformedJsonException;
import io.maintd.fleet.Txn;
import io.maintd.fleet.TxnResult;
import io.maintd.fleet.UrlEtcdTransport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * What every fleet command works with: the etcd client (over the JDK's HTTP client), the key
 * layout under the chosen prefix, and the conversions of etcd's failures into exit codes. Every
 * change a command makes goes through {@link #change}, which writes the log entry in the same
 * transaction.
 */
final class FleetSession implements AutoCloseable {
    /** Per call; etcd answers in milliseconds, so this only bounds a hung connection. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_ANSWER_BYTES = 16 << 20;
    /** Log entries older than this are pruned by the next change. */
    static final long LOG_RETENTION_MILLIS = TimeUnit.DAYS.toMillis(30);
    /** How often {@link #awaitStatus} reads a host's status: a few reads per report interval. */
    private static final long POLL_MILLIS = 200;

    final FleetKeys keys;
    final EtcdClient client;
    private final Invocation in;

    private FleetSession(FleetKeys keys, EtcdClient client, Invocation in) {
        this.keys = keys;
        this.client = client;
        this.in = in;
    }

    /** {@code --etcd} and {@code --prefix} from the command's own options, else from before it, else the defaults. */
    static FleetSession open(Invocation fleetLine, Invocation in) {
        String etcd = in.args.value(FleetCommand.ETCD, fleetLine.args.value(FleetCommand.ETCD, in.env.get(FleetCommand.ETCD_ENV)));
        if (etcd == null || etcd.isBlank()) {
            throw CliFailure.usage("no etcd: give --etcd URL[,URL] or set " + FleetCommand.ETCD_ENV);
        }
        String prefix = in.args.value(FleetCommand.PREFIX, fleetLine.args.value(FleetCommand.PREFIX, FleetKeys.DEFAULT_PREFIX));
        List<URI> endpoints;
        FleetKeys keys;
        try {
            endpoints = EtcdEndpoints.parseList(etcd);
            keys = new FleetKeys(prefix);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(e.getMessage());
        }
        return new FleetSession(keys, new EtcdClient(endpoints, new UrlEtcdTransport(CALL_TIMEOUT, MAX_ANSWER_BYTES)), in);
    }

    /** The call's result; etcd's failures become exit code {@link ExitCode#ETCD} with what was being done. */
    <T> T await(CompletableFuture<T> call, String doing) {
        try {
            return call.get(CALL_TIMEOUT.toMillis() * client.endpoints().size() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof EtcdUnavailableException || cause instanceof EtcdException) {
                throw new CliFailure(ExitCode.ETCD, "cannot " + doing + ": " + cause.getMessage());
            }
            if (cause instanceof MalformedJsonException) {
                throw new CliFailure(ExitCode.ETCD, "cannot " + doing + ": etcd's answer is malformed: " + cause.getMessage());
            }
            throw new CliFailure(ExitCode.FAILURE, "cannot " + doing + ": " + cause);
        } catch (TimeoutException e) {
            throw new CliFailure(ExitCode.ETCD, "cannot " + doing + ": etcd did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCode.FAILURE, "interrupted while trying to " + doing);
        }
    }

    /**
     * Runs {@code txn} with the log entry added to its success branch, and prunes log entries
     * older than the retention in the same step. Returns the result; its revision is the change's.
     */
    TxnResult change(Txn txn, LogEntry entry, String doing) {
        String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
        txn.thenPut(keys.logKey(entry.timeMillis(), id), entry.encode(), 0)
                .thenDeleteBetween(keys.logRoot(), keys.logKeyBefore(entry.timeMillis() - LOG_RETENTION_MILLIS));
        return await(client.txn(txn), doing);
    }

    /** Who is making a change: the user, and the sudo user behind it when there is one. */
    String who() {
        String user = System.getProperty("user.name");
        String sudoUser = in.env.get("SUDO_USER");
        return sudoUser == null ? user : sudoUser + " (sudo " + user + ")";
    }

    /** The host's published status, or null when it has none (lost, or never reported). */
    HostStatus status(String service, String host) {
        List<KeyValue> kvs = await(client.rangeKey(keys.statusKey(service, host)), "read the status of " + host).kvs();
        if (kvs.isEmpty()) {
            return null;
        }
        try {
            return HostStatus.decode(kvs.get(0).value());
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCode.ETCD, "the status of " + host + " is unreadable: " + e.getMessage());
        }
    }

    /**
     * Reads the host's status every {@value #POLL_MILLIS} ms until {@code condition} holds;
     * returns it, or null when {@code timeoutMillis} passed first. A missing status (the host is
     * restarting) just means "not yet".
     */
    HostStatus awaitStatus(String service, String host, Predicate<HostStatus> condition, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            HostStatus status = status(service, host);
            if (status != null && condition.test(status)) {
                return status;
            }
            if (System.nanoTime() >= deadline) {
                return null;
            }
            try {
                Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliFailure(ExitCode.FAILURE, "interrupted while waiting for " + host);
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
