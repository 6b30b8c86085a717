package io.maintd.fleetsync;

import io.maintd.fleet.EtcdClient;
import io.maintd.fleet.EtcdException;
import io.maintd.fleet.FleetKeys;
import io.maintd.fleet.HostStatus;
import io.maintd.json.JsonObject;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Publishes this host's status at {@code PREFIX/hosts/SERVICE/HOST} under a lease, so the key of
 * a host that dies vanishes within the lease's TTL. Every report interval it puts the status if
 * anything an operator waits on changed (mode, in-flight, connections, overrides, revision); every
 * third of the TTL it keeps the lease alive and puts the status anyway, so its time is never
 * older than that. A lease etcd no longer knows (it expired while the host was cut off) is
 * replaced by a new one on the next round. The member key (no lease) records that the host
 * belongs to the service, so {@code fleet status} can list it as lost once its status is gone.
 *
 * <p>Single-threaded on {@code loop}; at most one round's calls are in flight, so a slow etcd is
 * never sent a backlog, and after a failed round the next waits a jittered backoff (0.5 s doubling
 * up to a third of the TTL), so a fleet that lost etcd does not hit it with a round per host per
 * interval while it comes back.
 */
final class StatusPublisher {
    private final EventLoop loop;
    private final EtcdClient client;
    private final String statusKey;
    private final String memberKey;
    private final Duration ttl;
    private final Duration interval;
    private final Supplier<HostStatus> current;
    private final Consumer<Throwable> onFailure;
    private final LongSupplier clock;
    private long lease;
    private HostStatus lastPut;
    private long lastPutAt;
    private long lastKeepAliveAt;
    private boolean busy;
    private final Backoff backoff;
    private long retryAt;
    private ScheduledFuture<?> ticking;

    StatusPublisher(EventLoop loop, EtcdClient client, FleetKeys keys, String service, String host, Duration ttl,
                    Duration interval, Supplier<HostStatus> current, Consumer<Throwable> onFailure, LongSupplier clock) {
        this.loop = loop;
        this.client = client;
        this.statusKey = keys.statusKey(service, host);
        this.memberKey = keys.memberKey(service, host);
        this.ttl = ttl;
        this.interval = interval;
        this.current = current;
        this.onFailure = onFailure;
        this.clock = clock;
        // Never waits longer than the keep-alive cadence, so a short outage does not cost the lease.
        this.backoff = new Backoff(500, Math.max(500, Math.min(8000, ttl.toMillis() / 3)));
    }

    void start() {
        ticking = loop.scheduleAtFixedRate(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long now = clock.getAsLong();
        if (busy || now < retryAt) {
            return;
        }
        HostStatus status = current.get();
        boolean refresh = now - lastKeepAliveAt >= ttl.toMillis() / 3;
        if (lease != 0 && !refresh && !changed(status) && now - lastPutAt < ttl.toMillis() / 3) {
            return;
        }
        busy = true;
        CompletableFuture<Void> round;
        if (lease == 0) {
            round = client.grantLease(ttl.toSeconds()).thenComposeAsync(granted -> {
                lease = granted.id();
                lastKeepAliveAt = now;
                byte[] member = new JsonObject().put("version", status.version()).put("seen_at", now).toString()
                        .getBytes(StandardCharsets.UTF_8);
                return client.put(memberKey, member, 0);
            }, loop).thenComposeAsync(revision -> put(status, now), loop);
        } else if (refresh) {
            long keptAlive = lease;
            round = client.keepAlive(keptAlive).thenComposeAsync(remaining -> {
                if (remaining == 0) {
                    throw new EtcdException(statusKey, 200, EtcdException.NOT_FOUND, "lease " + keptAlive + " has expired");
                }
                lastKeepAliveAt = now;
                return put(status, now);
            }, loop);
        } else {
            round = put(status, now);
        }
        round.whenCompleteAsync((done, failure) -> {
            busy = false;
            if (failure == null) {
                backoff.reset();
                retryAt = 0;
            } else {
                retryAt = clock.getAsLong() + backoff.next();
                // A lease that expired or was revoked is replaced next round; any failure may mean
                // the watch's connection is dead too.
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                if (cause instanceof EtcdException e && e.code() == EtcdException.NOT_FOUND) {
                    lease = 0;
                }
                onFailure.accept(cause);
            }
        }, loop);
    }

    private CompletableFuture<Void> put(HostStatus status, long now) {
        return client.put(statusKey, status.encode(), lease).thenAcceptAsync(revision -> {
            lastPut = status;
            lastPutAt = now;
        }, loop);
    }

    /** What an operator or {@code fleet wait} acts on; the time and the request count move always and do not count. */
    private boolean changed(HostStatus status) {
        return lastPut == null || !status.mode().equals(lastPut.mode()) || status.inflight() != lastPut.inflight()
                || status.conns() != lastPut.conns() || status.revision() != lastPut.revision()
                || !status.overrides().equals(lastPut.overrides());
    }

    void close() {
        if (ticking != null) {
            ticking.cancel(false);
        }
    }
}
