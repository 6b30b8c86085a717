package io.maintd.net;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The listening sockets systemd passed to this process, as {@code sd_listen_fds_with_names(3)}
 * reads them: descriptors {@code 3 .. 3+LISTEN_FDS-1}, valid only when {@code LISTEN_PID} is
 * this process (a child that inherited the environment must not take them), named by the
 * colon-separated {@code LISTEN_FDNAMES} ({@code FileDescriptorName=} in the socket unit) or
 * {@code "unknown"} when that is absent.
 *
 * <p>sd_listen_fds can unset the variables so children do not see them; a JVM cannot change
 * its own environment, so they stay set. That is harmless: the pid check keeps any child from
 * adopting, and the JDK closes every descriptor above 2 in processes it starts.
 */
public final class ListenFds {
    /** {@code SD_LISTEN_FDS_START}: systemd always passes sockets from descriptor 3 on. */
    public static final int FIRST_FD = 3;
    public static final String UNNAMED = "unknown";

    /** One inherited socket. */
    public record Inherited(int fd, String name) {
    }

    private static final ListenFds NONE = new ListenFds(List.of());

    private final List<Inherited> sockets;

    private ListenFds(List<Inherited> sockets) {
        this.sockets = sockets;
    }

    public static ListenFds none() {
        return NONE;
    }

    public static ListenFds fromEnvironment() {
        return parse(System.getenv(), ProcessHandle.current().pid());
    }

    /**
     * @throws IllegalArgumentException naming the variable and its value when the variables are
     *         meant for this process but malformed
     */
    public static ListenFds parse(Map<String, String> env, long pid) {
        String listenPid = env.get("LISTEN_PID");
        if (listenPid == null || !listenPid.equals(Long.toString(pid))) {
            return NONE;
        }
        String countText = env.get("LISTEN_FDS");
        int count;
        try {
            count = Integer.parseInt(countText == null ? "" : countText.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("LISTEN_FDS=" + countText + " is not a number of descriptors");
        }
        if (count < 0 || count > Integer.MAX_VALUE - FIRST_FD) {
            throw new IllegalArgumentException("LISTEN_FDS=" + count + " is out of range");
        }
        String namesText = env.get("LISTEN_FDNAMES");
        List<String> names = namesText == null ? Collections.nCopies(count, UNNAMED) : List.of(namesText.split(":", -1));
        if (names.size() != count) {
            throw new IllegalArgumentException("LISTEN_FDNAMES=" + namesText + " names " + names.size()
                    + " sockets but LISTEN_FDS=" + count);
        }
        List<Inherited> sockets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sockets.add(new Inherited(FIRST_FD + i, names.get(i).isEmpty() ? UNNAMED : names.get(i)));
        }
        return new ListenFds(List.copyOf(sockets));
    }

    public List<Inherited> sockets() {
        return sockets;
    }

    public boolean activated() {
        return !sockets.isEmpty();
    }
}
