package io.maintd.cli;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Octal permission modes ({@code 0660}) to and from {@link PosixFilePermission} sets. The enum
 * is declared owner-read first, so constant {@code p} is bit {@code 8 - p.ordinal()}.
 */
final class FileMode {
    private static final PosixFilePermission[] PERMISSIONS = PosixFilePermission.values();

    private FileMode() {
    }

    /** Parses {@code --mode}: permission bits only, owner read-write, never world-writable. */
    static Set<PosixFilePermission> parse(String what, String text) {
        int bits = 0;
        boolean octal = !text.isEmpty() && text.length() <= 4;
        for (int i = 0; i < text.length() && octal; i++) {
            char c = text.charAt(i);
            octal = c >= '0' && c <= '7';
            bits = bits * 8 + (c - '0');
        }
        if (!octal || bits > 0777) {
            throw CliFailure.usage(what + " \"" + text + "\" is not an octal permission mode such as 0660");
        }
        Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PERMISSIONS) {
            if ((bits & (1 << (8 - p.ordinal()))) != 0) {
                mode.add(p);
            }
        }
        if (mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw CliFailure.usage(what + " " + text + " is world-writable: any local user could flip maintenance, "
                    + "and flagctl refuses to write such a file (use 0660 and --group)");
        }
        if (!mode.contains(PosixFilePermission.OWNER_READ) || !mode.contains(PosixFilePermission.OWNER_WRITE)) {
            throw CliFailure.usage(what + " " + text + " does not let the owner read and write the file");
        }
        return mode;
    }

    static String format(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission p : mode) {
            bits |= 1 << (8 - p.ordinal());
        }
        return "0" + Integer.toOctalString(bits);
    }
}
