package io.maintd.proxy;

import io.maintd.net.Transport;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link UpstreamPool} per event loop, created the first time a client connection on it needs one. */
final class UpstreamPools {
    private final Transport transport;
    private final Map<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();

    UpstreamPools(Transport transport) {
        this.transport = transport;
    }

    UpstreamPool forLoop(EventLoop loop) {
        return pools.computeIfAbsent(loop, l -> new UpstreamPool(l, transport));
    }
}
