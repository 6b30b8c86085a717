package io.maintd.log;

import io.maintd.config.MaintdConfig.LogConfig.Format;
import io.maintd.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * maintd's log line, one per event on stderr, through java.util.logging (System.Logger):
 * <ul>
 *   <li>text: {@code 2026-11-27T11:00:45.058Z INFO message}, the time in UTC and saying so;</li>
 *   <li>json: {@code {"time":"...","level":"INFO","logger":"...","message":"..."}};</li>
 *   <li>under systemd's journal ({@code JOURNAL_STREAM} names stderr) each line starts with the
 *       syslog priority, {@code <4>} for a warning, and carries no time of its own: the journal
 *       stamps it, and {@code journalctl -p warning} then finds rejected reloads.</li>
 * </ul>
 */
public final class LogLineFormat extends Formatter {
    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final boolean journal;
    private volatile Format style = Format.TEXT;

    LogLineFormat(boolean journal) {
        this.journal = journal;
    }

    /**
     * Makes this the format of the root logger's console handler, creating that handler if the
     * JDK's configuration has none. Call once, before anything logs.
     */
    public static LogLineFormat install(Map<String, String> env) {
        LogLineFormat format = new LogLineFormat(journalIsStderr(env.get("JOURNAL_STREAM")));
        Logger root = Logger.getLogger("");
        Handler console = null;
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) {
                console = h;
            }
        }
        if (console == null) {
            console = new ConsoleHandler();
            root.addHandler(console);
        }
        console.setFormatter(format);
        return format;
    }

    /** Switches the installed format (see {@link #install}) to {@code log.format}; a no-op where none is installed. */
    public static void use(Format style) {
        for (Handler h : Logger.getLogger("").getHandlers()) {
            if (h.getFormatter() instanceof LogLineFormat format) {
                format.style = style;
            }
        }
    }

    @Override
    public String format(LogRecord r) {
        String message = formatMessage(r);
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            // The journal keeps one entry per line: a stack trace is folded into the event's line.
            message = message + " " + trace.toString().strip().replace("\n", " | ").replace("\t", "");
        }
        StringBuilder line = new StringBuilder(message.length() + 64);
        if (journal) {
            line.append('<').append(priority(r.getLevel())).append('>');
        }
        if (style == Format.JSON) {
            JsonObject json = new JsonObject();
            if (!journal) {
                json.put("time", time(r.getInstant()));
            }
            line.append(json.put("level", r.getLevel().getName()).put("logger", String.valueOf(r.getLoggerName()))
                    .put("message", message));
        } else {
            if (!journal) {
                line.append(time(r.getInstant())).append(' ');
            }
            line.append(r.getLevel().getName()).append(' ').append(message);
        }
        return line.append('\n').toString();
    }

    /** ISO-8601 in UTC with milliseconds and a true {@code Z}, whatever TZ the process runs in. */
    public static String time(Instant instant) {
        return UTC_MILLIS.format(instant);
    }

    /** syslog(3) priorities: err, warning, info, debug. */
    static int priority(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return 3;
        }
        if (v >= Level.WARNING.intValue()) {
            return 4;
        }
        if (v >= Level.INFO.intValue()) {
            return 6;
        }
        return 7;
    }

    /**
     * JOURNAL_STREAM is "DEVICE:INODE" of the journal's stream; it counts only when it is still
     * stderr (a child whose stderr was redirected inherits the variable). When stderr cannot be
     * examined, the variable is trusted.
     */
    static boolean journalIsStderr(String journalStream) {
        if (journalStream == null || journalStream.isEmpty()) {
            return false;
        }
        try {
            Path stderr = Path.of("/proc/self/fd/2");
            long device = ((Number) Files.getAttribute(stderr, "unix:dev")).longValue();
            long inode = ((Number) Files.getAttribute(stderr, "unix:ino")).longValue();
            return journalStream.equals(device + ":" + inode);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return true;
        }
    }
}
