package io.maintd.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * Netty's request decoder with {@code HttpServerCodec}'s bound on pipelining, kept now that
 * responses leave through {@link ClientResponseEncoder}: a request beyond
 * {@link OneMessagePerRead#PIPELINE_DEPTH} unanswered ones is dropped with everything after it,
 * and the same {@code maxPipelineDepth exceeded} error is raised, which
 * {@link OneMessagePerRead#isPipelineOverflow} recognises.
 */
final class BoundedRequestDecoder extends HttpRequestDecoder {
    private final PipelineDepth depth;
    private boolean discard;

    BoundedRequestDecoder(HttpDecoderConfig config, PipelineDepth depth) {
        super(config);
        this.depth = depth;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (discard) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        int before = out.size();
        super.decode(ctx, buffer, out);
        for (int i = before; i < out.size(); i++) {
            if (out.get(i) instanceof HttpRequest && !depth.admit()) {
                discard = true;
                for (int j = i; j < out.size(); j++) {
                    ReferenceCountUtil.release(out.get(j));
                }
                out.subList(i, out.size()).clear();
                throw new IllegalStateException("maxPipelineDepth exceeded: " + OneMessagePerRead.PIPELINE_DEPTH);
            }
        }
    }
}
