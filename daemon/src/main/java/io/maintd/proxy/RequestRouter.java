package io.maintd.proxy;

import io.maintd.config.MaintdConfig.MaintenanceConfig;
import io.maintd.page.MaintenanceSchedule;
import io.maintd.page.Page;
import io.maintd.proxy.http.RequestHead;
import io.maintd.rules.Decision;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Decides where each request goes and replaces its head with an {@link Exchange} carrying the
 * decision: a page to answer with (maintenance, shed, or the error for a head the parser or
 * {@link RequestHeadCheck} refused) or a backend to relay to. The rules see
 * the head as it will be forwarded. Body chunks pass through untouched.
 * Also closes the connection when the client stays idle between requests.
 */
final class RequestRouter extends ChannelInboundHandlerAdapter {
    static final String WELL_KNOWN_PATH = "/.well-known/maintenance";
    private final Supplier<ServingConfig> serving;
    private final RequestObserver observer;
    private final BooleanSupplier draining;
    private final Supplier<MaintenanceSchedule> schedule;
    private InetAddress clientAddress;
    private String clientIp;
    private Exchange current;

    RequestRouter(Supplier<ServingConfig> serving, RequestObserver observer, BooleanSupplier draining,
                  Supplier<MaintenanceSchedule> schedule) {
        this.serving = serving;
        this.observer = observer;
        this.draining = draining;
        this.schedule = schedule;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        clientAddress = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        clientIp = clientAddress.getHostAddress();
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof RequestHead request) {
            observer.onRequestStart();
            current = route(ctx, request);
            ctx.fireChannelRead(current);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private Exchange route(ChannelHandlerContext ctx, RequestHead request) {
        ServingConfig config = serving.get();
        RequestHeadCheck.Refusal refusal = RequestHeadCheck.admit(request);
        if (refusal != null) {
            Exchange refused = new Exchange(ctx.channel(), observer, request, Route.ERROR, null,
                    config.pages().error(refusal.why().status()), null, config, clientIp, false);
            refused.reject(refusal.why(), refusal.detail());
            return refused;
        }
        boolean keepAlive = request.keepAlive() && !draining.getAsBoolean();
        MaintenanceConfig maintenance = config.config().maintenance();
        if (maintenance.wellKnown() && isWellKnown(request)) {
            // Before the rules: a front-end asks this while the service is in maintenance, too.
            byte[] json = (schedule.get().wellKnownJson(System.currentTimeMillis()) + "\n").getBytes(StandardCharsets.UTF_8);
            return new Exchange(ctx.channel(), observer, request, Route.WELL_KNOWN, null,
                    Page.publicJson(HttpResponseStatus.OK, json), null, config, clientIp, keepAlive);
        }
        Decision decision = config.router().decide(request, clientAddress);
        Page page = switch (decision.action()) {
            case MAINTENANCE -> config.pages().maintenance();
            case SHED -> config.pages().shed();
            case BACKEND -> null;
        };
        Exchange exchange = new Exchange(ctx.channel(), observer, request, Route.of(decision), decision, page,
                decision.backend(), config, clientIp, keepAlive);
        if (decision.action() == Decision.Action.MAINTENANCE) {
            exchange.retryAfter(schedule.get().retryAfterSeconds(System.currentTimeMillis(), maintenance.retryAfter()));
        }
        return exchange;
    }

    private static boolean isWellKnown(RequestHead request) {
        return (request.method().equals("GET") || request.method().equals("HEAD"))
                && request.target().startsWith(WELL_KNOWN_PATH)
                && new QueryStringDecoder(request.target()).path().equals(WELL_KNOWN_PATH);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // Only an idle keep-alive connection is closed; a request waiting on a slow
            // upstream is the response timeout's business.
            if (current == null || current.isCompleted()) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null) {
            current.abandon();
        }
        ctx.fireChannelInactive();
    }
}
