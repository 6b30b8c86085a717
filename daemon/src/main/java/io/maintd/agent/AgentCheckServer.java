package io.maintd.agent;

import io.maintd.health.DefaultBackend;
import io.maintd.lifecycle.ModeSource;
import io.maintd.net.ConnectionCap;
import io.maintd.net.RequestDeadline;
import io.maintd.net.SocketActivation;
import io.maintd.notice.ProbeLog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The HAProxy agent-check port: every connection gets one {@link AgentReply} line for the
 * current mode, weight and default backend's health, then the connection ends; each reply
 * written is recorded in a {@link ProbeLog}. It runs on a group the daemon already
 * has; an agent check every couple of seconds per load balancer is no load worth a thread.
 */
public final class AgentCheckServer implements AutoCloseable {
    /**
     * HAProxy closes right after reading the line; this bounds a peer that never does, from the
     * accept, so sending bytes now and then does not keep a connection either.
     */
    static final Duration LIFETIME = Duration.ofSeconds(10);

    /** The FileDescriptorName= of the agent socket when systemd passes it in. */
    public static final String FD_NAME = "agent";
    /** A few load balancers checking every couple of seconds; see {@link io.maintd.proxy.FileDescriptorBudget}. */
    public static final int MAX_CONNECTIONS = 64;

    private final ConnectionCap connections;
    private final Channel channel;

    private AgentCheckServer(ConnectionCap connections, Channel channel) {
        this.connections = connections;
        this.channel = channel;
    }

    /**
     * Starts answering on {@code address} (port 0 picks a free one), or on the socket systemd
     * passed in under the name {@value #FD_NAME}.
     *
     * @throws io.maintd.net.ListenException naming the address and the {@code agent} key when it cannot listen
     */
    public static AgentCheckServer start(SocketActivation listeners, EventLoopGroup group, InetSocketAddress address,
                                         ModeSource modes, DefaultBackend backend) {
        return start(listeners, group, address, modes, backend, new ProbeLog(), LIFETIME);
    }

    /** The same, recording every reply written, per peer, in {@code probes}. */
    public static AgentCheckServer start(SocketActivation listeners, EventLoopGroup group, InetSocketAddress address,
                                         ModeSource modes, DefaultBackend backend, ProbeLog probes) {
        return start(listeners, group, address, modes, backend, probes, LIFETIME);
    }

    static AgentCheckServer start(SocketActivation listeners, EventLoopGroup group, InetSocketAddress address,
                                  ModeSource modes, DefaultBackend backend, Duration lifetime) {
        return start(listeners, group, address, modes, backend, new ProbeLog(), lifetime);
    }

    private static AgentCheckServer start(SocketActivation listeners, EventLoopGroup group, InetSocketAddress address,
                                          ModeSource modes, DefaultBackend backend, ProbeLog probes, Duration lifetime) {
        AgentCheckHandler handler = new AgentCheckHandler(modes, backend, probes);
        ConnectionCap connections = ConnectionCap.fixed(FD_NAME, MAX_CONNECTIONS);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .handler(connections)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(RequestDeadline.sinceOpen(lifetime), handler);
                    }
                });
        return new AgentCheckServer(connections, listeners.listen(bootstrap, address, FD_NAME, "agent"));
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    public ConnectionCap connectionCap() {
        return connections;
    }

    /** Stops accepting; connections already answered finish on their own. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
