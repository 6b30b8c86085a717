package io.maintd.flagfile;

import java.io.IOException;
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
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The append-only audit trail next to the flag file ({@code <flag file>.log}). Each write is
 * one logfmt line handed to the kernel in a single {@code write(2)} on an {@code O_APPEND}
 * descriptor, so lines from concurrent writers (flagctl processes, and the daemon recording the
 * expiries it reverts and the fleet values it mirrors) never interleave.
 *
 * <p>flagctl opens the log <em>before</em> touching the flag file: a caller who may flip flags
 * but not append to the log is refused up front, and no write goes unrecorded.
 */
public final class AuditLog implements AutoCloseable {
    private static final int TAIL_CHUNK = 8192;

    private final Path path;
    private final FileChannel channel;

    private AuditLog(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    public static Path pathFor(Path flagFile) {
        return flagFile.resolveSibling(flagFile.getFileName() + ".log");
    }

    /**
     * Opens the log for appending, creating it with the flag file's mode and group so that
     * everyone allowed to write flags can also append here, whatever their umask.
     */
    public static AuditLog open(Path flagFile) {
        Path path = pathFor(flagFile);
        try {
            createLike(path, flagFile);
            return new AuditLog(path, FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        } catch (AccessDeniedException e) {
            throw new FlagFileException(FlagFileException.Reason.PERMISSION_DENIED, path,
                    "cannot append to the audit log: permission denied; nothing was changed", e);
        } catch (IOException e) {
            throw new FlagFileException(FlagFileException.Reason.IO, path,
                    "cannot open the audit log: " + e + "; nothing was changed", e);
        }
    }

    private static void createLike(Path path, Path flagFile) throws IOException {
        if (Files.exists(path)) {
            return;
        }
        PosixFileAttributes flagAttributes = Files.readAttributes(flagFile, PosixFileAttributes.class);
        try {
            Files.createFile(path);
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        Set<PosixFilePermission> mode = flagAttributes.permissions();
        view.setPermissions(mode);
        try {
            view.setGroup(flagAttributes.group());
        } catch (IOException notAMember) {
            // Only the group's members may chgrp; then the log keeps the creator's group.
        }
    }

    /**
     * One write: who (user, uid, pid, sudo user), what (op, flag, old, new), until when, why, then
     * {@code context}: more key, value pairs after the reason (a window's start: {@code at=TIME}).
     */
    public void append(Map<String, String> env, String op, String flag, String oldValue, String newValue,
                       long expiresAtMillis, String reason, String... context) {
        appendAs(null, env, op, flag, oldValue, newValue, expiresAtMillis, reason, context);
    }

    /**
     * The same line for a writer that acts on someone else's behalf, named by {@code writer=NAME}
     * before the op: the daemon's fleet mirror ({@code fleet}) and the admin page ({@code admin-page}).
     */
    public void appendAs(String writer, Map<String, String> env, String op, String flag, String oldValue,
                         String newValue, long expiresAtMillis, String reason, String... context) {
        StringBuilder line = new StringBuilder(160);
        Logfmt.append(line, "time", IsoTime.format(System.currentTimeMillis()));
        Logfmt.append(line, "user", System.getProperty("user.name"));
        Logfmt.append(line, "uid", Integer.toString(WriterIdentity.UID));
        Logfmt.append(line, "pid", Integer.toString(WriterIdentity.PID));
        String sudoUser = env.get("SUDO_USER");
        if (sudoUser != null) {
            Logfmt.append(line, "sudo_user", sudoUser);
        }
        if (writer != null) {
            Logfmt.append(line, "writer", writer);
        }
        Logfmt.append(line, "op", op);
        Logfmt.append(line, "flag", flag);
        Logfmt.append(line, "old", oldValue);
        Logfmt.append(line, "new", newValue);
        Logfmt.append(line, "expires", expiresAtMillis == 0 ? "-" : IsoTime.format(expiresAtMillis));
        Logfmt.append(line, "reason", reason == null ? "-" : reason);
        for (int k = 0; k + 1 < context.length; k += 2) {
            Logfmt.append(line, context[k], context[k + 1]);
        }
        line.append('\n');
        ByteBuffer bytes = ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.UTF_8));
        int expected = bytes.remaining();
        try {
            int written = channel.write(bytes);
            if (written != expected) {
                throw new IOException("short write: " + written + " of " + expected + " bytes");
            }
        } catch (IOException e) {
            throw new FlagFileException(FlagFileException.Reason.IO, path,
                    "the flag was written but the audit log was not: " + e.getMessage(), e);
        }
    }

    /**
     * The last {@code count} lines, oldest first; empty when the log does not exist yet.
     *
     * @throws FlagFileException PERMISSION_DENIED when the caller may not read it, IO otherwise
     */
    public static List<String> tail(Path log, int count) {
        if (!Files.exists(log)) {
            return List.of();
        }
        try {
            return readTail(log, count);
        } catch (AccessDeniedException e) {
            throw new FlagFileException(FlagFileException.Reason.PERMISSION_DENIED, log, "cannot read the audit log: "
                    + "permission denied (" + FlagFilePermissions.ownership(log) + "; you are uid " + WriterIdentity.UID + ")", e);
        } catch (IOException e) {
            throw new FlagFileException(FlagFileException.Reason.IO, log, "cannot read the audit log: " + e, e);
        }
    }

    private static List<String> readTail(Path log, int count) throws IOException {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            long start = ch.size();
            byte[] collected = new byte[0];
            // Read backwards until count+1 newlines are in hand (the last byte is a newline).
            while (start > 0 && newlines(collected) <= count) {
                int chunk = (int) Math.min(TAIL_CHUNK, start);
                start -= chunk;
                ByteBuffer buf = ByteBuffer.allocate(chunk);
                while (buf.hasRemaining() && ch.read(buf, start + buf.position()) > 0) {
                    // keep reading this chunk
                }
                byte[] joined = new byte[chunk + collected.length];
                System.arraycopy(buf.array(), 0, joined, 0, chunk);
                System.arraycopy(collected, 0, joined, chunk, collected.length);
                collected = joined;
            }
            String text = new String(collected, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
            // The first line may be cut by the chunk boundary; it is dropped unless the file started there.
            if (start > 0 && !lines.isEmpty()) {
                lines.remove(0);
            }
            return lines.size() > count ? lines.subList(lines.size() - count, lines.size()) : lines;
        }
    }

    private static int newlines(byte[] bytes) {
        int n = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Every line was handed to the kernel in append(); nothing is buffered here.
        }
    }
}
