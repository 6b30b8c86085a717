package io.maintd.proxy;

import io.maintd.config.MaintdConfig.Limits;
import io.maintd.page.MaintenanceSchedule;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The client connection's pipeline, top to bottom:
 * <ol>
 *   <li>idle timeout between requests (first, so it sees every socket read as it happens);</li>
 *   <li>{@link RequestDeadlines}, wire side: when head and body bytes arrive and when the proxy
 *       waits for them (before the codec, which would hide both);</li>
 *   <li>the request decoder with the configured limits (a too-long line or header block becomes a
 *       failed request that {@link RequestRouter} answers with 414 or 431), and the
 *       {@link ClientResponseEncoder}, which writes the proxy's own pages and lets forwarded
 *       responses, bytes already, through as they are;</li>
 *   <li>{@link AnnouncementHeader}, on the way out: every response announces a coming maintenance window;</li>
 *   <li>flow control: one message per read, so with auto-read off the handlers below decide
 *       when the next body chunk or the next pipelined request comes in;</li>
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
        PipelineDepth depth = new PipelineDepth();
        ch.pipeline()
                .addLast(new IdleStateHandler(0, 0, limits.clientIdleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast(deadlines.wireSide())
                .addLast(new BoundedRequestDecoder(new HttpDecoderConfig()
                        .setMaxInitialLineLength(limits.maxInitialLineLength())
                        .setMaxHeaderSize(limits.maxHeaderSize())
                        .setMaxChunkSize(limits.maxChunkSize()), depth))
                .addLast(new ClientResponseEncoder(depth))
                .addLast(announcement)
                .addLast(new OneMessagePerRead())
                .addLast(new RequestRouter(serving, observer, draining, schedule))
                .addLast(deadlines.exchangeSide())
                .addLast(new PageResponder())
                .addLast(new UpstreamRelay(pools));
    }
}
