package io.maintd.agent;

import io.maintd.health.DefaultBackend;
import io.maintd.lifecycle.ModeSource;
import io.maintd.lifecycle.SocketActivation;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HAProxy agent-check port: every connection gets one {@link AgentReply} line for the
 * current mode, weight and default backend's health, then the connection ends. It runs on a group the daemon already
 * has; an agent check every couple of seconds per load balancer is no load worth a thread.
 */
public final class AgentCheckServer implements AutoCloseable {
    /** HAProxy closes right after reading the line; this only bounds a peer that never does. */
    private static final int IDLE_SECONDS = 10;

    /** The FileDescriptorName= of the agent socket when systemd passes it in. */
    public static final String FD_NAME = "agent";

    private final Channel channel;

    private AgentCheckServer(Channel channel) {
        this.channel = channel;
    }

    /**
     * Starts answering on {@code address} (port 0 picks a free one), or on the socket systemd
     * passed in under the name {@value #FD_NAME}.
     *
     * @throws IllegalStateException naming the address when it cannot listen
     */
    public static AgentCheckServer start(SocketActivation listeners, EventLoopGroup group, InetSocketAddress address,
                                         ModeSource modes, DefaultBackend backend) {
        AgentCheckHandler handler = new AgentCheckHandler(modes, backend);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS), handler);
                    }
                });
        return new AgentCheckServer(listeners.listen(bootstrap, address, FD_NAME));
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Stops accepting; connections already answered finish on their own. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
