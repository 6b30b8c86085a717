package io.maintd.proxy;

import io.maintd.config.MaintdConfig.MaintenanceConfig;
import io.maintd.page.MaintenanceSchedule;
import io.maintd.page.Page;
import io.maintd.rules.Decision;
import io.maintd.syntax.AddressSyntax;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Decides where each request goes and replaces its head with an {@link Exchange} carrying the
 * decision: a page to answer with (maintenance, shed, or the error for a request the codec
 * could not parse or {@link RequestHeadCheck} refused) or a backend to relay to. The rules see
 * the head as it will be forwarded. Body chunks pass through untouched.
 * Also closes the connection when the client stays idle between requests.
 */
final class RequestRouter extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(RequestRouter.class.getName());
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
        if (msg instanceof HttpRequest request) {
            observer.onRequestStart();
            current = route(ctx, request);
            ctx.fireChannelRead(current);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private Exchange route(ChannelHandlerContext ctx, HttpRequest request) {
        ServingConfig config = serving.get();
        DecoderResult decoded = request.decoderResult();
        RequestHeadCheck.Refusal refusal = decoded.isFailure()
                ? new RequestHeadCheck.Refusal(rejectionFor(decoded.cause()), String.valueOf(decoded.cause().getMessage()))
                : RequestHeadCheck.admit(request);
        if (refusal != null) {
            Exchange refused = new Exchange(ctx.channel(), observer, request, Route.ERROR, null,
                    config.pages().error(refusal.why().status()), null, config, clientIp, false);
            refused.reject(refusal.why(), refusal.detail());
            return refused;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !draining.getAsBoolean();
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

    private static boolean isWellKnown(HttpRequest request) {
        return (HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method()))
                && new QueryStringDecoder(request.uri()).path().equals(WELL_KNOWN_PATH);
    }

    /** The codec's reason for rejecting a request, as HAProxy and nginx answer it. */
    private static RequestRejection rejectionFor(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return RequestRejection.LINE_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return RequestRejection.HEADERS_TOO_LARGE;
        }
        return RequestRejection.MALFORMED;
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

    /**
     * The client pipelined more requests ahead of their responses than the codec holds (see
     * {@link OneMessagePerRead}): the one in progress is answered with {@code Connection:
     * close} and nothing after it is read, so every request the backend saw gets its response
     * and the client knows to send the rest again.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!OneMessagePerRead.isPipelineOverflow(cause)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        LOG.log(System.Logger.Level.INFO, "client " + AddressSyntax.format((InetSocketAddress) ctx.channel().remoteAddress())
                + " pipelined more than " + OneMessagePerRead.PIPELINE_DEPTH
                + " requests ahead of their responses; answering the one in progress and closing");
        if (current == null || current.isCompleted()) {
            ctx.close();
        } else {
            current.closeAfterResponse();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null) {
            current.abandon();
        }
        ctx.fireChannelInactive();
    }
}
