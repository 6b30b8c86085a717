package io.maintd.admin;

import io.maintd.flagfile.AuditLog;
import io.maintd.flagfile.FlagFileException;
import io.maintd.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The last {@value #LINES} lines of the audit log, for the admin page. The admin port answers from
 * memory, so the file is read by {@link #refresh()} on another thread (once a second, and after
 * each of the page's own writes) and only when its size changed; {@link #json()} hands out the
 * lines read last. The reading is {@link AuditLog#tail}'s, as for {@code flagctl log}.
 */
final class AuditTail {
    static final int LINES = 20;
    private static final System.Logger LOG = System.getLogger(AuditTail.class.getName());

    private final Path log;
    private long lastSize = -1;
    private volatile String json = "[]";

    AuditTail(Path log) {
        this.log = log;
    }

    /** A JSON array of the lines, oldest first. */
    String json() {
        return json;
    }

    /** Re-reads the tail if the file's size changed; safe to call from one thread at a time. */
    synchronized void refresh() {
        try {
            long size = Files.size(log);
            if (size == lastSize) {
                return;
            }
            StringBuilder out = new StringBuilder("[");
            for (String line : AuditLog.tail(log, LINES)) {
                if (out.length() > 1) {
                    out.append(',');
                }
                JsonObject.quote(out, line);
            }
            json = out.append(']').toString();
            lastSize = size;
        } catch (NoSuchFileException e) {
            json = "[]";
            lastSize = -1;
        } catch (IOException | FlagFileException e) {
            LOG.log(System.Logger.Level.WARNING, "admin page: cannot read the audit log " + log + ": " + e.getMessage());
        }
    }
}
