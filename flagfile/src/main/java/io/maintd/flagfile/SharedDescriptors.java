package io.maintd.flagfile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Closes a flag file's descriptors only when the last {@link FlagFile} of that file in this JVM
 * closes. POSIX record locks belong to the process, and closing any descriptor of a file
 * releases all the process's locks on it: without this, a daemon that opened its flag file a
 * second time (a reload, an admin command) and closed it would silently lose its daemon lock,
 * and a second daemon could start.
 */
final class SharedDescriptors {
    private static final Map<Object, List<FileChannel>> OPEN_BY_FILE = new HashMap<>();
    private static final Map<Object, Integer> USERS_BY_FILE = new HashMap<>();

    private SharedDescriptors() {
    }

    /** A FlagFile now uses {@code channel}, a descriptor of the file identified by {@code fileKey}. */
    static synchronized void opened(Object fileKey, FileChannel channel) {
        OPEN_BY_FILE.computeIfAbsent(fileKey, k -> new ArrayList<>()).add(channel);
        USERS_BY_FILE.merge(fileKey, 1, Integer::sum);
    }

    /** One FlagFile of the file is done; when it was the last, every descriptor of the file closes. */
    static synchronized void closed(Object fileKey) {
        int users = USERS_BY_FILE.merge(fileKey, -1, Integer::sum);
        if (users > 0) {
            return;
        }
        USERS_BY_FILE.remove(fileKey);
        for (FileChannel channel : OPEN_BY_FILE.remove(fileKey)) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing was written through the descriptor itself (writes go through the mapping).
            }
        }
    }
}
