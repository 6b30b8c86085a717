package io.maintd.admin;

import io.maintd.lifecycle.Mode;
import io.maintd.lifecycle.ModeSource;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code /healthz}: 200 {@code ready} while the instance should get traffic, 503 with the
 * mode ({@code drain} or {@code maint}) when it should not, so any HTTP health-checking load
 * balancer takes it out of the pool. It reads the same {@link ModeSource} as the agent check,
 * so a shutdown's drain shows here the moment it begins.
 */
public final class HealthEndpoint implements AdminEndpoint {
    private final ModeSource modes;

    public HealthEndpoint(ModeSource modes) {
        this.modes = modes;
    }

    @Override
    public FullHttpResponse respond(FullHttpRequest request) {
        Mode now = modes.mode();
        HttpResponseStatus status = now == Mode.READY ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
        return TextResponse.of(status, now.word() + "\n");
    }
}
