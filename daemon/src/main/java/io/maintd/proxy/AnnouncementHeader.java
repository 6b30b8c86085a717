package io.maintd.proxy;

import io.maintd.config.MaintdConfig.MaintenanceConfig;
import io.maintd.page.MaintenanceSchedule;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import java.util.function.Supplier;

/**
 * Adds {@code maintenance.announce-header} ({@code Maintd-Maintenance: start=...; end=...}) to
 * every response, proxied or the proxy's own, from {@code maintenance.announce} before a
 * scheduled window of {@code maint} until its end. Costs one volatile read per response when no
 * window is near.
 */
@ChannelHandler.Sharable
final class AnnouncementHeader extends ChannelOutboundHandlerAdapter {
    private final Supplier<ServingConfig> live;
    private final Supplier<MaintenanceSchedule> schedule;

    AnnouncementHeader(Supplier<ServingConfig> live, Supplier<MaintenanceSchedule> schedule) {
        this.live = live;
        this.schedule = schedule;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        MaintenanceSchedule now = schedule.get();
        if (msg instanceof HttpResponse response && now != MaintenanceSchedule.NONE) {
            MaintenanceConfig config = live.get().config().maintenance();
            String announcement = now.announcement(System.currentTimeMillis(), config.announce());
            if (announcement != null) {
                response.headers().set(config.announceHeader(), announcement);
            }
        }
        ctx.write(msg, promise);
    }
}
