package io.maintd.health;

import io.maintd.syntax.AddressSyntax;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code GET path HTTP/1.1} with {@code Connection: close}; passes on the expected status, or
 * on any 2xx or 3xx when none is set (HAProxy's {@code option httpchk} and
 * {@code http-check expect status}). Only the status line and headers are read; the body is
 * never waited for. Interim 1xx responses are skipped.
 */
final class HttpProbe implements Probe {
    /** A health answer needs no more; a longer head is a failed check, not a bigger buffer. */
    private static final int MAX_LINE = 4096;
    private static final int MAX_HEADERS = 8192;

    private final Bootstrap base;
    private final String path;
    private final int expectStatus;
    private final String prefix;

    HttpProbe(Bootstrap base, String path, int expectStatus) {
        this.base = base;
        this.path = path;
        this.expectStatus = expectStatus;
        this.prefix = "http check GET " + path + ": ";
    }

    @Override
    public void run(InetSocketAddress server, long timeoutMillis, Consumer<String> done) {
        Verdict verdict = new Verdict(done);
        long started = System.nanoTime();
        base.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMillis)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(MAX_LINE, MAX_HEADERS, MAX_HEADERS),
                                new StatusReader(request(server), verdict));
                    }
                })
                .connect(server)
                .addListener((ChannelFuture connected) -> {
                    if (!connected.isSuccess()) {
                        verdict.fail(ProbeFailure.describeConnect(connected.cause(), timeoutMillis));
                        return;
                    }
                    long left = Math.max(1, timeoutMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    Channel channel = connected.channel();
                    ScheduledFuture<?> timer = channel.eventLoop().schedule(() -> {
                        verdict.fail("no response within " + timeoutMillis + " ms");
                        channel.close();
                    }, left, TimeUnit.MILLISECONDS);
                    channel.closeFuture().addListener(closed -> timer.cancel(false));
                });
    }

    private FullHttpRequest request(InetSocketAddress server) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, AddressSyntax.format(server))
                .set(HttpHeaderNames.USER_AGENT, "maintd-health-check")
                .set(HttpHeaderNames.ACCEPT, "*/*")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return request;
    }


    private boolean accepts(int status) {
        if (expectStatus != 0) {
            return status == expectStatus;
        }
        HttpStatusClass c = HttpStatusClass.valueOf(status);
        return c == HttpStatusClass.SUCCESS || c == HttpStatusClass.REDIRECTION;
    }

    /** Hands the first outcome on, once: a verdict, a timeout or a close may each come first. */
    private final class Verdict {
        private final Consumer<String> done;
        private boolean given;

        Verdict(Consumer<String> done) {
            this.done = done;
        }

        void pass() {
            give(null);
        }

        void fail(String why) {
            give(prefix + why);
        }

        private void give(String failure) {
            if (!given) {
                given = true;
                done.accept(failure);
            }
        }
    }

    /** Sends the request, judges the first final response head, closes. */
    private final class StatusReader extends ChannelInboundHandlerAdapter {
        private final FullHttpRequest request;
        private final Verdict verdict;

        StatusReader(FullHttpRequest request, Verdict verdict) {
            this.request = request;
            this.verdict = verdict;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(request);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
                    verdict.fail("malformed response (" + ProbeFailure.describe(object.decoderResult().cause()) + ")");
                    ctx.close();
                } else if (msg instanceof HttpResponse response) {
                    int status = response.status().code();
                    if (status >= 200) {
                        if (accepts(status)) {
                            verdict.pass();
                        } else {
                            verdict.fail("status " + status + ", expected "
                                    + (expectStatus == 0 ? "2xx or 3xx" : Integer.toString(expectStatus)));
                        }
                        ctx.close();
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            verdict.fail("connection closed before a response");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            verdict.fail(ProbeFailure.describe(cause));
            ctx.close();
        }
    }
}
