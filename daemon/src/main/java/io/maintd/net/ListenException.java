package io.maintd.net;

import io.maintd.syntax.AddressSyntax;
import io.netty.channel.unix.Errors;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * A listener could not be set up. The message names the config key and the address (or the
 * inherited descriptor), so an operator knows which line of maintd.yaml or of the socket unit
 * to look at.
 */
public final class ListenException extends RuntimeException {
    /** Linux's EADDRINUSE; Netty's native transport reports errno negated. */
    private static final int EADDRINUSE = 98;

    private ListenException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Binding {@code address} failed; a port another process holds gets its own plain message. */
    static ListenException bindFailed(String key, InetSocketAddress address, Throwable cause) {
        String where = "address " + AddressSyntax.format(address) + " (" + key + ")";
        if (addressInUse(cause)) {
            return new ListenException(where + " already in use: another process listens there"
                    + " (a second maintd with another flag file?); 'ss -ltnp' names it", cause);
        }
        return new ListenException(where + ": cannot listen: " + cause.getMessage(), cause);
    }

    /** An inherited socket could not be used; {@code problem} names the descriptor. */
    static ListenException adoptFailed(String key, String problem, Throwable cause) {
        return new ListenException(key + ": " + problem, cause);
    }

    /**
     * The JDK (NIO) throws BindException for any bind error and says which in the message (the C
     * library's text, which the JDK does not translate); Netty's native transport keeps the errno.
     */
    private static boolean addressInUse(Throwable cause) {
        return cause instanceof BindException b && String.valueOf(b.getMessage()).startsWith("Address already in use")
                || cause instanceof Errors.NativeIoException n && n.expectedErr() == -EADDRINUSE;
    }
}
