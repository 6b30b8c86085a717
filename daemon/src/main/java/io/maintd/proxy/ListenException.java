package io.maintd.proxy;

import io.maintd.config.AddressSyntax;
import java.net.InetSocketAddress;

/** A listening address could not be bound; the message names the config key and the address. */
public final class ListenException extends RuntimeException {
    public ListenException(String key, InetSocketAddress address, Throwable cause) {
        super(key + " " + AddressSyntax.format(address) + ": cannot listen (" + cause.getMessage() + ")", cause);
    }
}
