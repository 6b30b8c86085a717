package io.maintd.admin;

import io.maintd.flagfile.FlagFileException;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The admin page's writes, made as flagctl makes its own: the audit log next to the flag file
 * ({@code <flag file>.log}) is opened first, so a write that cannot be recorded is not made;
 * then the flag is written; then one logfmt line is appended with a single {@code write(2)} on an
 * {@code O_APPEND} descriptor, in flagctl's fields plus {@code writer=admin-page} and
 * {@code client=ADDRESS}, so {@code flagctl log} shows who clicked, from where.
 *
 * <p>Blocking (file opens and writes): call it off the event loop.
 *
 * <p>This is the one place the daemon writes audit lines. flagctl's {@code AuditLog} is moving
 * into flagfile (issue 14) so that the daemon can write through it; when it has, this class
 * becomes a call to it, and nothing else changes.
 */
final class AuditedPageWrite {
    static final String WRITER = "admin-page";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** What a write did: the value before, and the expiry it set (0 for none). */
    record Done(String flag, long oldValue, long newValue, long expiresAtMillis) {
    }

    private final FlagWriter writer;
    private final Path flagsFile;
    private final Path log;

    AuditedPageWrite(FlagWriter writer, Path flagsFile) {
        this.writer = writer;
        this.flagsFile = flagsFile;
        this.log = flagsFile.resolveSibling(flagsFile.getFileName() + ".log");
    }

    Path log() {
        return log;
    }

    /**
     * Sets {@code flag} to {@code value}, until {@code forMillis} from now when it is above 0.
     *
     * @throws FlagFileException UNKNOWN_FLAG, COUNTER_NOT_WRITABLE, or PERMISSION_DENIED / IO naming
     *                           the audit log (then nothing was written)
     */
    Done set(String flag, long value, long forMillis, String reason, InetSocketAddress client) {
        try (FileChannel audit = openLog()) {
            FlagHandle handle = writable(flag);
            long expiresAt = forMillis > 0 ? System.currentTimeMillis() + forMillis : 0;
            long old = expiresAt == 0 ? writer.set(handle, value) : writer.setUntil(handle, value, expiresAt);
            append(audit, "set", flag, old, value, expiresAt, reason, client);
            return new Done(flag, old, value, expiresAt);
        } catch (IOException closing) {
            // The line was handed to the kernel in append(); nothing is buffered to lose on close.
            throw new FlagFileException(FlagFileException.Reason.IO, log, "closing the audit log: " + closing, closing);
        }
    }

    private FlagHandle writable(String flag) {
        Optional<FlagHandle> handle = writer.reader().find(flag);
        if (handle.isEmpty()) {
            throw new FlagFileException(FlagFileException.Reason.UNKNOWN_FLAG, flagsFile, "no flag \"" + flag + "\"");
        }
        if (handle.get().kind() != FlagKind.FLAG) {
            throw new FlagFileException(FlagFileException.Reason.COUNTER_NOT_WRITABLE, flagsFile,
                    "\"" + flag + "\" is a counter the daemon publishes");
        }
        return handle.get();
    }

    /** Created with the flag file's mode and group, as flagctl creates it, so operators can still append. */
    private FileChannel openLog() {
        try {
            if (!Files.exists(log)) {
                PosixFileAttributes like = Files.readAttributes(flagsFile, PosixFileAttributes.class);
                try {
                    Files.createFile(log);
                    PosixFileAttributeView view = Files.getFileAttributeView(log, PosixFileAttributeView.class);
                    view.setPermissions(like.permissions());
                    view.setGroup(like.group());
                } catch (FileAlreadyExistsException raced) {
                    // Another writer created it meanwhile, the same way.
                }
            }
            return FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (AccessDeniedException e) {
            throw new FlagFileException(FlagFileException.Reason.PERMISSION_DENIED, log,
                    "cannot append to the audit log: permission denied; nothing was changed");
        } catch (IOException e) {
            throw new FlagFileException(FlagFileException.Reason.IO, log,
                    "cannot open the audit log: " + e + "; nothing was changed", e);
        }
    }

    private void append(FileChannel audit, String op, String flag, long old, long value, long expiresAt, String reason,
                        InetSocketAddress client) {
        StringBuilder line = new StringBuilder(200);
        pair(line, "time", TIME.format(java.time.Instant.ofEpochMilli(System.currentTimeMillis())));
        pair(line, "user", System.getProperty("user.name"));
        pair(line, "uid", Long.toString(uid()));
        pair(line, "pid", Long.toString(ProcessHandle.current().pid()));
        pair(line, "writer", WRITER);
        pair(line, "op", op);
        pair(line, "flag", flag);
        pair(line, "old", Long.toString(old));
        pair(line, "new", Long.toString(value));
        pair(line, "expires", expiresAt == 0 ? "-" : TIME.format(java.time.Instant.ofEpochMilli(expiresAt)));
        pair(line, "reason", reason == null || reason.isEmpty() ? "-" : reason);
        pair(line, "client", client.getAddress().getHostAddress() + ":" + client.getPort());
        ByteBuffer bytes = ByteBuffer.wrap(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        try {
            int expected = bytes.remaining();
            if (audit.write(bytes) != expected) {
                throw new IOException("short write");
            }
        } catch (IOException e) {
            throw new FlagFileException(FlagFileException.Reason.IO, log,
                    "the flag was written but this audit log was not: " + e.getMessage(), e);
        }
    }

    /** logfmt as flagctl writes it: quoted when the value has a space, quote, '=' or backslash. */
    private static void pair(StringBuilder line, String key, String value) {
        if (line.length() > 0) {
            line.append(' ');
        }
        line.append(key).append('=');
        boolean quote = value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\');
        if (!quote) {
            line.append(value);
            return;
        }
        line.append('"');
        value.chars().forEach(c -> line.append(c == '"' || c == '\\' ? "\\" + (char) c : c < ' ' ? " " : String.valueOf((char) c)));
        line.append('"');
    }

    private static long uid() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
