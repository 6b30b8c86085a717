package io.maintd.proxy;

import io.maintd.page.Page;
import io.maintd.rules.Decision;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Decides where each request goes and replaces its head with an {@link Exchange} carrying the
 * decision: a page to answer with (maintenance, shed, or the error for a request the codec
 * could not parse) or a backend to relay to. Body chunks pass through untouched.
 * Also closes the connection when the client stays idle between requests.
 */
final class RequestRouter extends ChannelInboundHandlerAdapter {
    private final Supplier<LiveConfig> live;
    private final RequestObserver observer;
    private final BooleanSupplier draining;
    private InetAddress clientAddress;
    private String clientIp;
    private Exchange current;

    RequestRouter(Supplier<LiveConfig> live, RequestObserver observer, BooleanSupplier draining) {
        this.live = live;
        this.observer = observer;
        this.draining = draining;
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
        LiveConfig config = live.get();
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            Page error = config.pages().error(statusFor(decoded.cause()));
            return new Exchange(ctx.channel(), observer, request, Route.ERROR, null, error, null, config,
                    clientIp, false);
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !draining.getAsBoolean();
        Decision decision = config.router().decide(request, clientAddress);
        Page page = switch (decision.action()) {
            case MAINTENANCE -> config.pages().maintenance();
            case SHED -> config.pages().shed();
            case BACKEND -> null;
        };
        return new Exchange(ctx.channel(), observer, request, Route.of(decision), decision, page, decision.backend(),
                config, clientIp, keepAlive);
    }

    /** The codec's reason for rejecting a request, as the status HAProxy and nginx send for it. */
    private static HttpResponseStatus statusFor(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        return HttpResponseStatus.BAD_REQUEST;
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
