package io.maintd.admin;

import io.maintd.flagfile.AuditLog;
import io.maintd.flagfile.FlagFileException;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The admin page's writes, made as flagctl makes its own, through the same {@link AuditLog}: the
 * log is opened first, so a write that cannot be recorded is not made; then the flag is written;
 * then one line is appended, in flagctl's fields plus {@code writer=admin-page} and
 * {@code client=ADDRESS}, so {@code flagctl log} shows who clicked, from where.
 *
 * <p>Blocking (file opens and writes): call it off the event loop.
 */
final class AuditedPageWrite {
    static final String WRITER = "admin-page";

    /** What a write did: the value before, and the expiry it set (0 for none). */
    record Done(String flag, long oldValue, long newValue, long expiresAtMillis) {
    }

    private final FlagWriter writer;
    private final Path flagsFile;

    AuditedPageWrite(FlagWriter writer, Path flagsFile) {
        this.writer = writer;
        this.flagsFile = flagsFile;
    }

    Path log() {
        return AuditLog.pathFor(flagsFile);
    }

    /**
     * Sets {@code flag} to {@code value}, until {@code forMillis} from now when it is above 0.
     *
     * @throws FlagFileException UNKNOWN_FLAG, COUNTER_NOT_WRITABLE, or PERMISSION_DENIED / IO naming
     *                           the audit log (then nothing was written)
     */
    Done set(String flag, long value, long forMillis, String reason, InetSocketAddress client) {
        try (AuditLog audit = AuditLog.open(flagsFile)) {
            FlagHandle handle = writable(flag);
            long expiresAt = forMillis > 0 ? System.currentTimeMillis() + forMillis : 0;
            long old = expiresAt == 0 ? writer.set(handle, value) : writer.setUntil(handle, value, expiresAt).previous();
            // No environment: the writer is the page's user, not whoever started the daemon (no sudo_user).
            audit.appendAs(WRITER, Map.of(), "set", flag, Long.toString(old), Long.toString(value), expiresAt, reason,
                    "client", client.getAddress().getHostAddress() + ":" + client.getPort());
            return new Done(flag, old, value, expiresAt);
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
}
