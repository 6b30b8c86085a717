package io.maintd.admin;

import io.maintd.metrics.DaemonMetrics;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code /metrics}: the Prometheus text exposition of {@link DaemonMetrics}. */
public final class MetricsEndpoint implements AdminEndpoint {
    private final DaemonMetrics metrics;

    public MetricsEndpoint(DaemonMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public FullHttpResponse respond(FullHttpRequest request) {
        return TextResponse.of(HttpResponseStatus.OK, DaemonMetrics.contentType(), metrics.scrape());
    }
}
