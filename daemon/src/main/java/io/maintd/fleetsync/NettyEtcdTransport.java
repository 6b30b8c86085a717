package io.maintd.fleetsync;

import io.maintd.fleet.EtcdTransport;
import io.maintd.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * etcd's gateway over the Netty HTTP client the daemon already has, on one of its event loops.
 * One keep-alive connection per endpoint carries the calls one after another (the daemon makes
 * a few per second: keep-alives and status reports), so a fleet of hosts does not open a
 * connection to etcd per call. Everything here runs on {@code loop}; no locks.
 */
final class NettyEtcdTransport implements EtcdTransport {
    private final EventLoop loop;
    private final Transport transport;
    private final Duration timeout;
    private final int maxBodyBytes;
    private final Map<URI, Connection> connections = new HashMap<>();
    private boolean closed;

    NettyEtcdTransport(EventLoop loop, Transport transport, Duration timeout, int maxBodyBytes) {
        this.loop = loop;
        this.transport = transport;
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public CompletableFuture<Reply> post(URI endpoint, String path, String body) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        loop.execute(() -> {
            if (closed) {
                reply.completeExceptionally(new ClosedChannelException());
                return;
            }
            connections.computeIfAbsent(endpoint, Connection::new).enqueue(new Call(path, body, reply));
        });
        return reply;
    }

    private record Call(String path, String body, CompletableFuture<Reply> reply) {
    }

    /** One endpoint's connection and the calls waiting for it. */
    private final class Connection {
        private final URI endpoint;
        private final ArrayDeque<Call> waiting = new ArrayDeque<>();
        private Channel channel;
        private boolean connecting;
        private Call current;
        private ScheduledFuture<?> deadline;

        Connection(URI endpoint) {
            this.endpoint = endpoint;
        }

        void enqueue(Call call) {
            waiting.add(call);
            pump();
        }

        private void pump() {
            if (current != null || connecting || waiting.isEmpty() || closed) {
                return;
            }
            if (channel == null || !channel.isActive()) {
                connect();
                return;
            }
            current = waiting.poll();
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, current.path(),
                    Unpooled.copiedBuffer(current.body(), StandardCharsets.UTF_8));
            request.headers().set(HttpHeaderNames.HOST, endpoint.getHost() + ":" + endpoint.getPort())
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            HttpUtil.setContentLength(request, request.content().readableBytes());
            Call call = current;
            deadline = loop.schedule(() -> {
                if (current == call) {
                    fail(new TimeoutException("no answer from " + endpoint + " within " + timeout.toMillis() + " ms"));
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            channel.writeAndFlush(request).addListener(written -> {
                if (!written.isSuccess() && current == call) {
                    fail(written.cause());
                }
            });
        }

        private void connect() {
            connecting = true;
            new Bootstrap()
                    .group(loop)
                    .channel(transport.clientChannel())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(maxBodyBytes), new Answers(Connection.this));
                        }
                    })
                    .connect(endpoint.getHost(), endpoint.getPort())
                    .addListener((ChannelFutureListener) connected -> {
                        connecting = false;
                        if (!connected.isSuccess()) {
                            // Every waiting call fails now: the client tries the next endpoint for each.
                            Call call;
                            while ((call = waiting.poll()) != null) {
                                call.reply().completeExceptionally(connected.cause());
                            }
                            return;
                        }
                        channel = connected.channel();
                        if (closed) {
                            channel.close();
                        }
                        pump();
                    });
        }

        void answered(FullHttpResponse response) {
            Call call = current;
            if (call == null) {
                return;
            }
            finish();
            call.reply().complete(new Reply(response.status().code(), response.content().toString(StandardCharsets.UTF_8)));
            if (!HttpUtil.isKeepAlive(response)) {
                channel.close();
            }
            pump();
        }

        /** The call in flight fails and the connection is dropped; the calls behind it get a new one. */
        void fail(Throwable cause) {
            Call call = current;
            if (call != null) {
                finish();
                call.reply().completeExceptionally(cause);
            }
            if (channel != null) {
                channel.close();
                channel = null;
            }
            pump();
        }

        private void finish() {
            current = null;
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }
    }

    /** Hands each complete answer (or the connection's end) to its connection. */
    private static final class Answers extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Connection connection;

        Answers(Connection connection) {
            this.connection = connection;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            connection.answered(response);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (connection.channel == ctx.channel()) {
                connection.fail(new IOException("etcd closed the connection"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (connection.channel == ctx.channel()) {
                connection.fail(cause);
            } else {
                ctx.close();
            }
        }
    }

    @Override
    public void close() {
        loop.execute(() -> {
            closed = true;
            for (Connection c : connections.values()) {
                c.waiting.forEach(call -> call.reply().completeExceptionally(new ClosedChannelException()));
                c.waiting.clear();
                c.fail(new ClosedChannelException());
            }
        });
    }
}
