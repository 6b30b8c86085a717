package io.maintd.admin;

import io.maintd.net.ConnectionCap;
import io.maintd.net.ListenException;
import io.maintd.net.RequestDeadline;
import io.maintd.net.SocketActivation;
import io.maintd.net.ThrottledLog;
import io.maintd.syntax.AddressSyntax;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The admin HTTP port (loopback by default): GET or HEAD on the endpoints in {@link AdminRoutes},
 * POST on its actions. Every request's Host is checked first (see {@link AllowedHosts}).
 */
public final class AdminServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AdminServer.class.getName());
    /** Admin requests carry no meaningful body. */
    private static final int MAX_REQUEST = 8 * 1024;
    /** The FileDescriptorName= of the admin socket when systemd passes it in. */
    public static final String FD_NAME = "admin";
    /**
     * Health checks and scrapes need a handful; the cap keeps a flood on this port inside the
     * descriptors {@link io.maintd.proxy.FileDescriptorBudget} reserves for it.
     */
    public static final int MAX_CONNECTIONS = 64;
    /**
     * A connection must bring a complete request this long after opening or after its previous
     * response, or it is closed: the header deadline and the keep-alive idle timeout in one.
     * Trickled bytes do not extend it.
     */
    static final Duration REQUEST_WITHIN = Duration.ofSeconds(10);

    private final ConnectionCap connections;
    private final Channel listener;

    private AdminServer(ConnectionCap connections, Channel listener) {
        this.connections = connections;
        this.listener = listener;
    }

    /**
     * Serves on the socket systemd passed in as {@value #FD_NAME}, else on {@code address}.
     *
     * @param allowedHosts {@code admin.allowed-hosts}: Host names answered besides localhost and IP
     *                     literals (see {@link AllowedHosts})
     * @throws ListenException naming the address when it cannot be bound
     */
    public static AdminServer start(SocketActivation listeners, InetSocketAddress address, List<String> allowedHosts,
                                    EventLoopGroup group, AdminRoutes routes) {
        return start(listeners, address, allowedHosts, group, routes, REQUEST_WITHIN);
    }

    static AdminServer start(SocketActivation listeners, InetSocketAddress address, List<String> allowedHosts,
                             EventLoopGroup group, AdminRoutes routes, Duration requestWithin) {
        Dispatcher dispatcher = new Dispatcher(routes, new AllowedHosts(allowedHosts));
        ConnectionCap connections = ConnectionCap.fixed(FD_NAME, MAX_CONNECTIONS);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .handler(connections)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpServerKeepAliveHandler())
                                .addLast(new HttpObjectAggregator(MAX_REQUEST))
                                .addLast(RequestDeadline.forHttp(requestWithin))
                                .addLast(dispatcher);
                    }
                });
        AdminServer server = new AdminServer(connections, listeners.listen(bootstrap, address, FD_NAME, "admin"));
        LOG.log(System.Logger.Level.INFO, "admin listening on " + AddressSyntax.format(server.address()) + " (" + String.join(" ", routes.paths()) + ")");
        return server;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    public ConnectionCap connectionCap() {
        return connections;
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }

    @ChannelHandler.Sharable
    private static final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        private static final ThrottledLog REFUSED_HOSTS = new ThrottledLog(LOG, System.Logger.Level.WARNING);

        private final Map<String, AdminEndpoint> endpoints;
        private final Map<String, AdminAction> actions;
        private final String paths;
        private final AllowedHosts allowedHosts;

        Dispatcher(AdminRoutes routes, AllowedHosts allowedHosts) {
            this.endpoints = routes.endpoints();
            this.actions = routes.actions();
            this.paths = String.join(" ", routes.paths());
            this.allowedHosts = allowedHosts;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
            FullHttpResponse refused = refusal(request, client);
            if (refused != null) {
                ctx.writeAndFlush(refused);
                return;
            }
            String path = new QueryStringDecoder(request.uri()).path();
            AdminEndpoint endpoint = endpoints.get(path);
            AdminAction action = actions.get(path);
            if (endpoint != null && (HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method()))) {
                ctx.writeAndFlush(endpoint.respond(request, client));
            } else if (action != null && HttpMethod.POST.equals(request.method())) {
                action.perform(request, client).whenComplete((response, failure) -> {
                    if (failure != null) {
                        LOG.log(System.Logger.Level.WARNING, "admin: " + path + " from " + client + " failed: " + failure);
                        response = TextResponse.of(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the action failed; see maintd's log\n");
                    }
                    ctx.writeAndFlush(response);
                });
            } else {
                FullHttpResponse wrongMethod = TextResponse.of(HttpResponseStatus.METHOD_NOT_ALLOWED,
                        endpoint != null ? "use GET\n" : "use POST\n");
                wrongMethod.headers().set(HttpHeaderNames.ALLOW, endpoint != null ? "GET, HEAD" : "POST");
                ctx.writeAndFlush(wrongMethod);
            }
        }

        /** The answer for a request no route may see: undecodable, for a Host not answered here, or for no path. */
        private FullHttpResponse refusal(FullHttpRequest request, InetSocketAddress client) {
            if (request.decoderResult().isFailure()) {
                return TextResponse.of(HttpResponseStatus.BAD_REQUEST, "bad request\n");
            }
            String host = request.headers().get(HttpHeaderNames.HOST);
            if (!allowedHosts.allows(host)) {
                REFUSED_HOSTS.log(() -> "admin: refused Host '" + host + "' from " + client
                        + " with 421 (not localhost, an IP address or in admin.allowed-hosts)");
                return TextResponse.of(HttpResponseStatus.MISDIRECTED_REQUEST, "the admin port does not answer"
                        + " for host '" + host + "'; add it to admin.allowed-hosts in maintd.yaml"
                        + " (localhost and IP addresses are always answered)\n");
            }
            String path = new QueryStringDecoder(request.uri()).path();
            if (!endpoints.containsKey(path) && !actions.containsKey(path)) {
                return TextResponse.of(HttpResponseStatus.NOT_FOUND, "no such admin path; try " + paths + "\n");
            }
            return null;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
