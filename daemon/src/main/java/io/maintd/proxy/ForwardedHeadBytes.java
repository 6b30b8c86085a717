package io.maintd.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A forwarded response head on its way to the client, already written as bytes
 * ({@code ForwardedResponseHead}), with its status so the handlers on the way out
 * ({@link RequestDeadlines}, {@link ClientResponseEncoder}) know which response it starts.
 */
final class ForwardedHeadBytes extends DefaultByteBufHolder {
    private final int status;

    ForwardedHeadBytes(ByteBuf bytes, int status) {
        super(bytes);
        this.status = status;
    }

    int status() {
        return status;
    }
}
