package io.maintd.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * uid to login name from /etc/passwd, for showing who wrote a flag. The JDK has no getpwuid;
 * a name that cannot be resolved (NSS-only users, no /etc/passwd) is shown as the number.
 */
final class UserNames {
    private final Map<Long, String> names = new HashMap<>();

    private UserNames() {
    }

    static UserNames load() {
        UserNames users = new UserNames();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] fields = line.split(":", 4);
                if (fields.length >= 3) {
                    try {
                        users.names.putIfAbsent(Long.parseLong(fields[2]), fields[0]);
                    } catch (NumberFormatException ignored) {
                        // A malformed entry names nobody.
                    }
                }
            }
        } catch (IOException ignored) {
            // Without /etc/passwd every writer is shown by uid.
        }
        return users;
    }

    String name(long uid) {
        String name = names.get(uid);
        return name == null ? Long.toString(uid) : name;
    }
}
