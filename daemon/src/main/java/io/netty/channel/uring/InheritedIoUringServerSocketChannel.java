package io.netty.channel.uring;

import io.netty.channel.Channel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.ServerSocketChannelConfig;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * An io_uring listener over a socket that is already bound and listening: the one systemd
 * passes under socket activation. Netty 4.2.18 can adopt a descriptor with epoll
 * ({@code EpollServerSocketChannel(int)}) but not with io_uring, and the constructor that
 * would do it is package-private; hence this class in Netty's package (maintd runs from the
 * class path, where a package may span jars). It uses only what {@code IoUringServerSocketChannel}
 * uses, so a Netty upgrade that changes those internals fails the build, not a host. maintd's
 * own code reaches it through {@code io.maintd.net.Transport} only.
 */
public final class InheritedIoUringServerSocketChannel extends AbstractIoUringServerChannel
        implements ServerSocketChannel {
    private final IoUringServerSocketChannelConfig config;

    /** @param fd a listening TCP socket; the channel closes it when it is closed */
    public InheritedIoUringServerSocketChannel(int fd) {
        super(new LinuxSocket(fd), true);
        config = new IoUringServerSocketChannelConfig(this);
    }

    @Override
    public ServerSocketChannelConfig config() {
        return config;
    }

    /** As Netty's own listener does: the peer's address from the accept, when the kernel wrote one. */
    @Override
    Channel newChildChannel(int fd, ByteBuffer acceptedAddress) {
        LinuxSocket accepted = new LinuxSocket(fd);
        if (acceptedAddress == null) {
            return new IoUringSocketChannel(this, accepted);
        }
        IoUringIoHandler handler = registration().attachment();
        InetSocketAddress peer = accepted.isIpv6()
                ? SockaddrIn.getIPv6(acceptedAddress, handler.inet6AddressArray(), handler.inet4AddressArray())
                : SockaddrIn.getIPv4(acceptedAddress, handler.inet4AddressArray());
        return new IoUringSocketChannel(this, accepted, peer);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    /** Bound by whoever created the socket; binding again would fail with EINVAL. */
    @Override
    public void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("an inherited listener is already bound");
    }
}
