package io.maintd.proxy;

import io.maintd.config.MaintdConfig.Limits;
import io.maintd.page.MaintenanceSchedule;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.maintd.proxy.http.RequestDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The client connection's pipeline, top to bottom:
 * <ol>
 *   <li>idle timeout between requests (first, so it sees every socket read as it happens);</li>
 *   <li>{@link RequestDeadlines}, wire side: when head and body bytes arrive and when the proxy
 *       waits for them (before the decoder, which would hide both);</li>
 *   <li>{@link RequestDecoder}: request heads parsed into an index with the configured limits
 *       (a too-long line or header section becomes a failed head that {@link RequestRouter}
 *       answers with 414 or 431), bodies as the wire bytes; one message per read, so with
 *       auto-read off the handlers below decide when the next body piece or the next
 *       pipelined request comes in;</li>
 *   <li>{@link ClientResponseEncoder}, on the way out: the proxy's own pages, and forwarded
 *       responses (bytes already) passed through as they are;</li>
 *   <li>{@link AnnouncementHeader}, on the way out: every response announces a coming maintenance window;</li>
 *   <li>{@link RequestRouter}: the routing decision per request;</li>
 *   <li>{@link RequestDeadlines}, exchange side: where each request's head and body end, and the
 *       408 for a late one;</li>
 *   <li>{@link PageResponder}: maintenance, shed and error pages;</li>
 *   <li>{@link UpstreamRelay}: the relay to the backend.</li>
 * </ol>
 * Limits are read from the config serving when the connection opens, so a reload applies to new
 * connections.
 */
final class ProxyInitializer extends ChannelInitializer<SocketChannel> {
    private final Supplier<ServingConfig> serving;
    private final RequestObserver observer;
    private final BooleanSupplier draining;
    private final UpstreamPools pools;
    private final Supplier<MaintenanceSchedule> schedule;
    private final AnnouncementHeader announcement;

    ProxyInitializer(Supplier<ServingConfig> serving, RequestObserver observer, BooleanSupplier draining, UpstreamPools pools,
                     Supplier<MaintenanceSchedule> schedule) {
        this.serving = serving;
        this.observer = observer;
        this.draining = draining;
        this.pools = pools;
        this.schedule = schedule;
        this.announcement = new AnnouncementHeader(serving, schedule);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        Limits limits = serving.get().limits();
        observer.onConnectionOpened();
        ch.closeFuture().addListener(f -> observer.onConnectionClosed());
        RequestDeadlines deadlines = new RequestDeadlines(limits);
        RequestRouter router = new RequestRouter(serving, observer, draining, schedule);
        ch.pipeline()
                .addLast(new IdleStateHandler(0, 0, limits.clientIdleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast(deadlines.wireSide())
                .addLast(new RequestDecoder(limits.maxInitialLineLength(), limits.maxHeaderSize()))
                .addLast(new ClientResponseEncoder())
                .addLast(announcement)
                .addLast(router)
                .addLast(deadlines.exchangeSide())
                .addLast(new PageResponder())
                .addLast(new UpstreamRelay(pools));
    }
}
