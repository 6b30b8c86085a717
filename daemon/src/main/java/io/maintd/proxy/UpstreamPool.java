package io.maintd.proxy;

import io.maintd.config.MaintdConfig.Limits;
import io.maintd.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.maintd.proxy.http.ResponseDecoder;
import io.netty.handler.codec.http.HttpObjectDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections to upstream servers, for one event loop. Client connections on
 * this loop take and return connections here, and every upstream connection is registered on
 * the same loop, so a request never hops threads and the pool needs no lock.
 */
final class UpstreamPool {
    /** Upstream responses may carry large cookies; their heads get more room than client requests. */
    private static final int MAX_RESPONSE_HEADER_SIZE = 64 * 1024;

    private final EventLoop loop;
    private final Transport transport;
    private final Map<InetSocketAddress, ArrayDeque<Channel>> idle = new HashMap<>();

    UpstreamPool(EventLoop loop, Transport transport) {
        this.loop = loop;
        this.transport = transport;
    }

    /** An idle connection to the server that is still open, or null. */
    Channel acquire(InetSocketAddress server) {
        ArrayDeque<Channel> connections = idle.get(server);
        if (connections == null) {
            return null;
        }
        Channel channel;
        while ((channel = connections.pollFirst()) != null) {
            if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    /**
     * Keeps a connection whose last response completed with keep-alive, unless {@code maxIdle}
     * connections to that server already wait here. A read is left pending so a server closing
     * it while idle is noticed at once and it is dropped from the pool.
     */
    void release(InetSocketAddress server, Channel channel, int maxIdle) {
        ArrayDeque<Channel> connections = idle.computeIfAbsent(server, s -> new ArrayDeque<>());
        if (!channel.isActive() || connections.size() >= maxIdle) {
            channel.close();
            return;
        }
        connections.addFirst(channel);
        channel.read();
    }

    void forget(InetSocketAddress server, Channel channel) {
        ArrayDeque<Channel> connections = idle.get(server);
        if (connections != null) {
            connections.remove(channel);
        }
    }

    ChannelFuture connect(InetSocketAddress server, Limits limits) {
        UpstreamPool pool = this;
        return new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, limits.connectTimeout().toMillis()))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(new IdleStateHandler(0, 0, limits.upstreamIdleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                                .addLast(new ResponseDecoder(HttpObjectDecoder.DEFAULT_MAX_INITIAL_LINE_LENGTH,
                                        MAX_RESPONSE_HEADER_SIZE, limits.maxChunkSize()))
                                .addLast(new UpstreamResponseHandler(pool, server));
                    }
                })
                .connect(server);
    }
}
