package io.maintd.health;

import io.netty.channel.ConnectTimeoutException;
import java.util.regex.Pattern;

/**
 * Failure reasons short and safe enough for a log line, {@code /status} and the text after
 * {@code #} in an agent reply: printable ASCII, one line, bounded length.
 */
final class ProbeFailure {
    private static final int MAX_LENGTH = 200;
    /**
     * The system call in front of a native transport's error: epoll's
     * {@code finishConnect(..) failed with error(-111): }, io_uring's {@code io_uring connect(..) failed with error(-111): }.
     */
    private static final Pattern NATIVE_CALL = Pattern.compile("^(?:io_uring )?\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

    private ProbeFailure() {
    }

    /**
     * The part of a failure an operator needs: Netty's native transports say
     * {@code finishConnect(..) failed with error(-111): Connection refused} (io_uring puts
     * {@code io_uring } in front), NIO says
     * {@code Connection refused: /127.0.0.1:9001}, and the address is already in every line
     * that shows the reason.
     */
    static String describe(Throwable cause) {
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            return cause.getClass().getSimpleName();
        }
        message = NATIVE_CALL.matcher(message).replaceFirst("");
        int address = message.indexOf(": /");
        if (address > 0) {
            message = message.substring(0, address);
        }
        return printable(message);
    }

    /** A failed connect of a check that allowed {@code timeoutMillis}. */
    static String describeConnect(Throwable cause, long timeoutMillis) {
        return cause instanceof ConnectTimeoutException ? "connect timed out after " + timeoutMillis + " ms" : describe(cause);
    }

    /** Control and non-ASCII characters become '?'; longer texts are cut. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH));
        for (int i = 0; i < text.length() && out.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            out.append(c >= ' ' && c <= '~' ? c : '?');
        }
        return out.toString();
    }
}
