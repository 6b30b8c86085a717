package io.maintd.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.Supplier;

/**
 * {@code /healthz}: 200 {@code ready} while the instance should get traffic, 503 with the
 * mode ({@code drain} or {@code maint}) when it should not, so any HTTP health-checking load
 * balancer takes it out of the pool.
 */
public final class HealthEndpoint implements AdminEndpoint {
    private final Supplier<ServiceMode> mode;

    public HealthEndpoint(Supplier<ServiceMode> mode) {
        this.mode = mode;
    }

    @Override
    public FullHttpResponse respond(FullHttpRequest request) {
        ServiceMode now = mode.get();
        HttpResponseStatus status = now == ServiceMode.READY ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
        return TextResponse.of(status, now.label() + "\n");
    }
}
