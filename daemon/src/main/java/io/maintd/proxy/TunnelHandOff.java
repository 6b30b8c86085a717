package io.maintd.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.maintd.proxy.http.RequestDecoder;
import io.maintd.proxy.http.ResponseDecoder;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * After a 101 has gone to the client, both connections stop speaking HTTP: the HTTP handlers
 * come out of both pipelines (bytes the codecs had buffered flow on to the tunnel) and a
 * {@link TunnelRelay} on each side relays raw bytes until either side closes. The upstream
 * connection is never pooled again.
 */
final class TunnelHandOff {
    private TunnelHandOff() {
    }

    /** {@code relay} is the client pipeline's {@link UpstreamRelay}, which leaves with the rest. */
    static void start(Channel client, Channel server, ChannelHandler relay) {
        ChannelPipeline clientPipeline = client.pipeline();
        clientPipeline.addLast(new TunnelRelay(server));
        clientPipeline.remove(RequestRouter.class);
        clientPipeline.remove(PageResponder.class);
        clientPipeline.remove(relay);
        clientPipeline.remove(ClientResponseEncoder.class);
        clientPipeline.remove(RequestDecoder.class);
        clientPipeline.remove(IdleStateHandler.class);

        ChannelPipeline serverPipeline = server.pipeline();
        serverPipeline.addLast(new TunnelRelay(client));
        serverPipeline.remove(UpstreamResponseHandler.class);
        serverPipeline.remove(ResponseDecoder.class);
        serverPipeline.remove(IdleStateHandler.class);
    }
}
