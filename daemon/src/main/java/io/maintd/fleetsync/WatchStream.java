package io.maintd.fleetsync;

import io.maintd.fleet.EtcdRequests;
import io.maintd.fleet.JsonStream;
import io.maintd.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One long-lived {@code POST /v3/watch}: the create requests go out as the body, and the answer
 * streams back for as long as the connection lives, one JSON message per watch event batch.
 * The listener hears every message and, exactly once, that the stream ended (etcd went away,
 * the connection broke, or a message was malformed) unless {@link #close()} ended it.
 */
final class WatchStream {
    interface Listener {
        void onMessage(String json);

        /** The stream is over; the caller reconnects. */
        void onEnded(Throwable cause);
    }

    private final Listener listener;
    private final JsonStream messages;
    private Channel channel;
    private boolean ended;

    private WatchStream(Listener listener, int maxMessageBytes) {
        this.listener = listener;
        this.messages = new JsonStream(maxMessageBytes);
    }

    /** Connects and sends {@code body}; everything after runs on {@code loop}. */
    static WatchStream open(EventLoop loop, Transport transport, URI endpoint, String body, Duration connectTimeout,
                            int maxMessageBytes, Listener listener) {
        WatchStream stream = new WatchStream(listener, maxMessageBytes);
        new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                // A watch may stay silent for hours; the kernel's probes notice a peer that vanished.
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), stream.new Reader());
                    }
                })
                .connect(endpoint.getHost(), endpoint.getPort())
                .addListener((ChannelFutureListener) connected -> {
                    if (!connected.isSuccess()) {
                        stream.end(connected.cause());
                        return;
                    }
                    stream.channel = connected.channel();
                    if (stream.ended) {
                        stream.channel.close();
                        return;
                    }
                    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                            EtcdRequests.WATCH, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
                    request.headers().set(HttpHeaderNames.HOST, endpoint.getHost() + ":" + endpoint.getPort())
                            .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
                    HttpUtil.setContentLength(request, request.content().readableBytes());
                    stream.channel.writeAndFlush(request).addListener((ChannelFutureListener) written -> {
                        if (!written.isSuccess()) {
                            stream.end(written.cause());
                        }
                    });
                });
        return stream;
    }

    /** Ends the stream without telling the listener. */
    void close() {
        ended = true;
        if (channel != null) {
            channel.close();
        }
    }

    private void end(Throwable cause) {
        if (ended) {
            return;
        }
        ended = true;
        if (channel != null) {
            channel.close();
        }
        listener.onEnded(cause);
    }

    /** Reads the answer: a 200 head, then content to cut into messages; anything else ends the stream. */
    private final class Reader extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (ended) {
                    return;
                }
                if (msg instanceof HttpResponse head && head.status().code() != 200) {
                    end(new IOException("etcd answered the watch with HTTP " + head.status()));
                    return;
                }
                if (msg instanceof HttpContent content) {
                    for (String message : messages.feed(content.content().nioBuffer())) {
                        if (ended) {
                            return;
                        }
                        listener.onMessage(message);
                    }
                    if (msg instanceof LastHttpContent) {
                        end(new IOException("etcd ended the watch stream"));
                    }
                }
            } catch (RuntimeException malformed) {
                end(malformed);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            end(new IOException("the watch connection closed"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            end(cause);
        }
    }
}
