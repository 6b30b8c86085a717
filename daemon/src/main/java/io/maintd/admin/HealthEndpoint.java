package io.maintd.admin;

import io.maintd.lifecycle.Mode;
import io.maintd.lifecycle.ModeSource;
import io.maintd.notice.ProbeLog;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;

/**
 * {@code /healthz}: 200 {@code ready} while the instance should get traffic, 503 with the
 * mode ({@code drain} or {@code maint}) when it should not, so any HTTP health-checking load
 * balancer takes it out of the pool. It reads the same {@link ModeSource} as the agent check,
 * so a shutdown's drain shows here the moment it begins.
 */
public final class HealthEndpoint implements AdminEndpoint {
    private final ModeSource modes;
    /** Where each answer is recorded, per client, for {@link io.maintd.notice.NoticeTracker}; null for nowhere. */
    private final ProbeLog probes;

    public HealthEndpoint(ModeSource modes) {
        this(modes, null);
    }

    /** Records every answer and its client's address in {@code probes}. */
    public HealthEndpoint(ModeSource modes, ProbeLog probes) {
        this.modes = modes;
        this.probes = probes;
    }

    @Override
    public FullHttpResponse respond(FullHttpRequest request) {
        return answer(modes.mode());
    }

    @Override
    public FullHttpResponse respond(FullHttpRequest request, InetSocketAddress client) {
        Mode now = modes.mode();
        if (probes != null) {
            probes.answered(ProbeLog.Via.HEALTHZ, client.getAddress(), now, System.currentTimeMillis());
        }
        return answer(now);
    }

    private static FullHttpResponse answer(Mode now) {
        HttpResponseStatus status = now == Mode.READY ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
        return TextResponse.of(status, now.word() + "\n");
    }
}
