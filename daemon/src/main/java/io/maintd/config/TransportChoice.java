package io.maintd.config;

import java.util.Arrays;

/**
 * The {@code transport:} key: which of Netty's I/O implementations the daemon runs on.
 * {@code auto} takes io_uring where the kernel allows it, else epoll, else the JDK's NIO;
 * naming one makes start-up fail when it is not available rather than run on another.
 * {@code io.maintd.net.Transport} resolves the choice.
 */
public enum TransportChoice {
    AUTO("auto"), IO_URING("io_uring"), EPOLL("epoll"), NIO("nio");

    private final String key;

    TransportChoice(String key) {
        this.key = key;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static TransportChoice parse(String text) {
        return Arrays.stream(values())
                .filter(choice -> choice.key.equals(text))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "'" + text + "' is not a transport (auto, io_uring, epoll or nio)"));
    }

    /** As written in the config file. */
    @Override
    public String toString() {
        return key;
    }
}
