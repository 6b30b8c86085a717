package io.maintd.fleetsync;

import io.maintd.flagfile.Logfmt;
import io.maintd.fleet.Printable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which flags the fleet controls on this host, kept next to the flag file ({@code <flag file>.fleet})
 * so it outlives the daemon as the flags do. Per flag: the value the host had before the fleet
 * took it over (restored when the fleet lets go), and the key and revision last applied (so a
 * restart or a resync applies only what changed, and a local override holds until the key does).
 * Without it, a fleet key deleted while the daemon was down would leave its value behind forever.
 *
 * <pre>
 * # maintd fleet mirror state: the flags etcd controls on this host. Written by maintd; do not edit.
 * flag=maint base=0 key=/maintd/flags/service/web/maint revision=118 value=1 expires=0
 * </pre>
 *
 * Replaced whole on every change (temporary file, fsync, rename). A file that does not parse is
 * reported and ignored, which loses only what it would have remembered.
 */
final class MirrorState {
    static final int MAX_BYTES = 1 << 20;
    private static final String HEADER = "# maintd fleet mirror state: the flags etcd controls on this host."
            + " Written by maintd; do not edit.\n";
    private static final List<String> FIELDS = List.of("flag", "base", "key", "revision", "value", "expires");

    /** One controlled flag. */
    record Control(long base, String key, long revision, long value, long expiresAtMillis) {
    }

    private final Path path;
    private final Map<String, Control> controls;

    private MirrorState(Path path, Map<String, Control> controls) {
        this.path = path;
        this.controls = controls;
    }

    static Path pathFor(Path flagFile) {
        return flagFile.resolveSibling(flagFile.getFileName() + ".fleet");
    }

    /** Reads the state next to {@code flagFile}; a missing file is no control yet. */
    static MirrorState load(Path flagFile) throws IOException {
        Path path = pathFor(flagFile);
        String text;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new IOException(path + ": " + Files.size(path) + " bytes; the limit is " + MAX_BYTES);
            }
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new MirrorState(path, new TreeMap<>());
        } catch (CharacterCodingException e) {
            throw new IOException(path + ": not UTF-8 text");
        }
        Map<String, Control> controls = new TreeMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            for (String[] pair : Logfmt.parse(line)) {
                fields.put(pair[0], pair[1]);
            }
            if (!fields.keySet().containsAll(FIELDS) || fields.size() != FIELDS.size()) {
                throw new IOException(path + " line " + lineNumber + ": expected the fields " + FIELDS + ", found \""
                        + Printable.of(line, 200) + "\"");
            }
            try {
                controls.put(fields.get("flag"), new Control(Long.parseLong(fields.get("base")), fields.get("key"),
                        Long.parseLong(fields.get("revision")), Long.parseLong(fields.get("value")),
                        Long.parseLong(fields.get("expires"))));
            } catch (NumberFormatException e) {
                throw new IOException(path + " line " + lineNumber + ": a number is malformed in \"" + Printable.of(line, 200) + "\"");
            }
        }
        return new MirrorState(path, controls);
    }

    /** Starts empty, for when the file could not be read (the reason was logged). */
    static MirrorState empty(Path flagFile) {
        return new MirrorState(pathFor(flagFile), new TreeMap<>());
    }

    Control get(String flag) {
        return controls.get(flag);
    }

    Map<String, Control> all() {
        return controls;
    }

    void put(String flag, Control control) {
        controls.put(flag, control);
    }

    void remove(String flag) {
        controls.remove(flag);
    }

    /** Replaces the file with the current state, atomically. */
    void save() throws IOException {
        StringBuilder text = new StringBuilder(HEADER);
        for (Map.Entry<String, Control> e : controls.entrySet()) {
            Control c = e.getValue();
            StringBuilder line = new StringBuilder();
            Logfmt.append(line, "flag", e.getKey());
            Logfmt.append(line, "base", Long.toString(c.base()));
            Logfmt.append(line, "key", c.key());
            Logfmt.append(line, "revision", Long.toString(c.revision()));
            Logfmt.append(line, "value", Long.toString(c.value()));
            Logfmt.append(line, "expires", Long.toString(c.expiresAtMillis()));
            text.append(line).append('\n');
        }
        Path tmp = path.resolveSibling("." + path.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-rw----"));
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
