package io.maintd.agent;

import io.maintd.health.DefaultBackend;
import io.maintd.flagfile.Mode;
import io.maintd.lifecycle.ModeSource;
import io.maintd.notice.ProbeLog;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * Answers one agent check: writes the reply line as soon as the connection is up, then
 * half-closes. It does not close outright, because HAProxy may have sent an
 * {@code agent-send} string we never read, and closing a socket with unread input makes the
 * kernel send a reset that can destroy the reply before HAProxy reads it. Instead whatever
 * arrives is discarded and the connection closes when HAProxy closes its side (or when the
 * deadline in front of this handler closes it).
 */
@ChannelHandler.Sharable
final class AgentCheckHandler extends ChannelInboundHandlerAdapter {
    private final ModeSource modes;
    private final DefaultBackend backend;
    /** Where each reply written is recorded, per peer, for {@link io.maintd.notice.NoticeTracker}. */
    private final ProbeLog probes;

    AgentCheckHandler(ModeSource modes, DefaultBackend backend, ProbeLog probes) {
        this.modes = modes;
        this.backend = backend;
        this.probes = probes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Mode mode = modes.mode();
        ctx.writeAndFlush(AgentReply.of(mode, modes.weightPercent(), backend.downReason()))
                .addListener((ChannelFutureListener) written -> {
                    if (!written.isSuccess()) {
                        written.channel().close();
                        return;
                    }
                    if (written.channel().remoteAddress() instanceof InetSocketAddress peer) {
                        probes.answered(ProbeLog.Via.AGENT, peer.getAddress(), mode, System.currentTimeMillis());
                    }
                    if (written.channel() instanceof DuplexChannel duplex) {
                        duplex.shutdownOutput();
                    }
                });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A peer that resets an agent check is routine (HAProxy gave up on the interval); nothing to report.
        ctx.close();
    }
}
