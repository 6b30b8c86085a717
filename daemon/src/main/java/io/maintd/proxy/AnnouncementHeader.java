package io.maintd.proxy;

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
        if (msg instanceof HttpResponse response) {
            String announcement = current();
            if (announcement != null) {
                response.headers().set(name(), announcement);
            }
        }
        ctx.write(msg, promise);
    }

    /**
     * The announcement to send now, or null. A forwarded head is bytes by the time it passes
     * here, so the relay asks for it and writes it into the head itself.
     */
    String current() {
        MaintenanceSchedule now = schedule.get();
        if (now == MaintenanceSchedule.NONE) {
            return null;
        }
        return now.announcement(System.currentTimeMillis(), live.get().config().maintenance().announce());
    }

    /** The header's name, {@code maintenance.announce-header}. */
    String name() {
        return live.get().config().maintenance().announceHeader();
    }
}
