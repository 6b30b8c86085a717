package io.maintd.admin;

import io.maintd.health.DefaultBackend;
import io.maintd.flagfile.Mode;
import io.maintd.lifecycle.ModeSource;
import io.maintd.notice.ProbeLog;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;

/**
 * {@code /healthz}: 200 {@code ready} while the instance should get traffic; 503 when it should
 * not, so any HTTP health-checking load balancer takes it out of the pool. The body says why,
 * one fact a line: the mode ({@code drain} or {@code maint}) if it is not ready, then
 * {@code down: REASON} if the default backend has no server up. The first line is therefore
 * the strongest reason, maint before drain before down. It reads the same {@link ModeSource}
 * and backend health as the agent check, so a shutdown's drain or a dead application shows
 * here the moment the agent says it.
 */
public final class HealthEndpoint implements AdminEndpoint {
    private final ModeSource modes;
    private final DefaultBackend backend;
    /** Where each answer is recorded, per client, for {@link io.maintd.notice.NoticeTracker}; null for nowhere. */
    private final ProbeLog probes;

    public HealthEndpoint(ModeSource modes, DefaultBackend backend) {
        this(modes, backend, null);
    }

    /** Records every answer's mode and its client's address in {@code probes}. */
    public HealthEndpoint(ModeSource modes, DefaultBackend backend, ProbeLog probes) {
        this.modes = modes;
        this.backend = backend;
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

    private FullHttpResponse answer(Mode now) {
        String down = backend.downReason();
        if (now == Mode.READY && down == null) {
            return TextResponse.of(HttpResponseStatus.OK, now.word() + "\n");
        }
        String body = (now == Mode.READY ? "" : now.word() + "\n") + (down == null ? "" : "down: " + down + "\n");
        return TextResponse.of(HttpResponseStatus.SERVICE_UNAVAILABLE, body);
    }
}
