package io.maintd.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** Passes when a connection opens (HAProxy's {@code check} without a protocol), then closes it. */
final class TcpProbe implements Probe {
    private final Bootstrap base;

    TcpProbe(Bootstrap base) {
        this.base = base;
    }

    @Override
    public void run(InetSocketAddress server, long timeoutMillis, Consumer<String> done) {
        base.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeoutMillis)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server)
                .addListener((ChannelFuture connected) -> {
                    if (connected.isSuccess()) {
                        connected.channel().close();
                        done.accept(null);
                    } else {
                        done.accept("tcp check: " + ProbeFailure.describeConnect(connected.cause(), timeoutMillis));
                    }
                });
    }

}
