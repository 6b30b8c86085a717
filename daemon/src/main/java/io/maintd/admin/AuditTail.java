package io.maintd.admin;

import io.maintd.flagfile.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The last {@value #LINES} lines of the audit log, for the admin page. The admin port answers from
 * memory, so the file is read by {@link #refresh()} on another thread (once a second, and after
 * each of the page's own writes) and only when its size changed; {@link #json()} hands out the
 * lines read last. Only the last {@value #MAX_BYTES} bytes are ever read, so a huge log costs
 * nothing, and a line longer than that is left out rather than shown cut.
 */
final class AuditTail {
    static final int LINES = 20;
    static final int MAX_BYTES = 16 * 1024;
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
        try (FileChannel file = FileChannel.open(log, StandardOpenOption.READ)) {
            long size = file.size();
            if (size == lastSize) {
                return;
            }
            int length = (int) Math.min(size, MAX_BYTES);
            ByteBuffer bytes = ByteBuffer.allocate(length);
            while (bytes.hasRemaining() && file.read(bytes, size - length + bytes.position()) > 0) {
                // read until the buffer is full; a file that shrank under us ends the loop
            }
            List<String> lines = new ArrayList<>(Arrays.asList(
                    new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8).split("\n")));
            if (length < size && !lines.isEmpty()) {
                lines.remove(0); // cut by the window: shown whole or not at all
            }
            lines.removeIf(String::isBlank);
            List<String> last = lines.subList(Math.max(0, lines.size() - LINES), lines.size());
            StringBuilder out = new StringBuilder("[");
            for (String line : last) {
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
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "admin page: cannot read the audit log " + log + ": " + e);
        }
    }
}
