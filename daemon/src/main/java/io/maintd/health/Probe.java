package io.maintd.health;

import io.maintd.config.MaintdConfig.CheckConfig;
import io.netty.bootstrap.Bootstrap;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/** One active check of one server, run on the health loop without blocking. */
interface Probe {
    /**
     * Checks {@code server} once, within {@code timeoutMillis} from connect to verdict (HAProxy
     * uses {@code inter} as the whole check's timeout when {@code timeout check} is unset).
     * {@code done} gets null when the check passed, else why not, exactly once.
     */
    void run(InetSocketAddress server, long timeoutMillis, Consumer<String> done);


    /**
     * The check {@code config} asks for; a TCP connect when it is null (checks off), which is
     * how a server that refused a request is probed back in.
     *
     * @param base a bootstrap with the health loop and its channel class
     */
    static Probe of(CheckConfig config, Bootstrap base) {
        return config == null || config.httpPath() == null ? new TcpProbe(base)
                : new HttpProbe(base, config.httpPath(), config.expectStatus());
    }
}
