package io.maintd.cli;

import io.maintd.command.Option;
import io.maintd.flagfile.AuditLog;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagWriter;

/**
 * One command's write to the flag file, recorded in the audit log. Everything that can refuse
 * the write happens while opening, before any byte changes, in this order: open the file
 * read-write (missing, corrupt, permission, world-writable), resolve the flag (unknown,
 * counter), open the audit log (permission). Only then does the command write and
 * {@link #record} what it did.
 */
final class AuditedWrite implements AutoCloseable {
    static final Option REASON = Option.valued("reason", 'r', "TEXT", "why; recorded in the audit log");

    final FlagWriter writer;
    /** The flag being changed; null for {@link #open}, which defines slots instead. */
    final FlagHandle flag;
    private final Invocation in;
    private final FlagFile file;
    private final AuditLog log;

    private AuditedWrite(Invocation in, FlagFile file, String name) {
        this.in = in;
        this.file = file;
        try {
            this.writer = file.writer();
            this.flag = name == null ? null : FlagLookup.writable(writer.reader(), name);
            this.log = AuditLog.open(in.file);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** For commands that create or delete slots rather than change a value. */
    static AuditedWrite open(Invocation in) {
        return new AuditedWrite(in, in.openForWriting(), null);
    }

    /** For a change to the existing operator flag {@code name}. */
    static AuditedWrite on(Invocation in, String name) {
        return new AuditedWrite(in, in.openForWriting(), name);
    }

    /** @param context more key, value pairs for the line, after the reason */
    void record(String op, String flagName, String oldValue, String newValue, long expiresAtMillis, String... context) {
        log.append(in.env, op, flagName, oldValue, newValue, expiresAtMillis, in.args.value(REASON), context);
    }

    /** For a command that writes on its own judgement ({@code follow}) and so gives its own reason. */
    void recordBecause(String reason, String op, String flagName, String oldValue, String newValue, long expiresAtMillis) {
        log.append(in.env, op, flagName, oldValue, newValue, expiresAtMillis, reason);
    }

    void record(String op, long oldValue, long newValue) {
        record(op, flag.name(), Long.toString(oldValue), Long.toString(newValue), 0);
    }

    @Override
    public void close() {
        log.close();
        file.close();
    }
}
