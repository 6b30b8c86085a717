package io.maintd.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The bytes a listener's open connections were given to send and have not sent yet, so a drain
 * can wait for them as it waits for requests in flight.
 *
 * <p>Why a drain needs it: a request leaves the in-flight count when its last bytes are handed
 * to the client connection, which is before they are sent. A slow reader of a large response
 * can have hundreds of kilobytes still queued then; stopping the event loops at that moment
 * closed its connection with the end of the body unsent. Counting there would cost the request
 * path a listener per response; this walks the open connections only when asked, which a drain
 * does every poll and nothing else does.
 *
 * <p>It sits on the listening channel, where every accepted connection passes; a closed
 * connection leaves the group by itself.
 */
@ChannelHandler.Sharable
public final class UnsentResponseBytes extends ChannelInboundHandlerAdapter {
    private final ChannelGroup open = new DefaultChannelGroup("accepted", GlobalEventExecutor.INSTANCE);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        open.add((Channel) msg);
        ctx.fireChannelRead(msg);
    }

    /**
     * Bytes written to open connections and not yet taken by the kernel, summed. Read from any
     * thread: each connection's count is a volatile the event loop keeps, so the sum is a moment's
     * view, enough for a drain that polls until it is 0.
     */
    public long count() {
        long unsent = 0;
        for (Channel channel : open) {
            ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
            if (outbound != null) {
                unsent += outbound.totalPendingWriteBytes();
            }
        }
        return unsent;
    }
}
