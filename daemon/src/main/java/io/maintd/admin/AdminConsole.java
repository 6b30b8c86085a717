package io.maintd.admin;

import io.maintd.flagfile.FlagWriter;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The admin page on the admin port: its files at {@code /}, its actions
 * ({@link SetFlagAction}, only with {@code admin.token}), and the {@code /status} sections only
 * it needs ({@code actions}: whether the buttons exist; {@code audit}: the audit log's tail).
 * The page itself polls {@code /status}; see {@code console/console.js}.
 */
public final class AdminConsole {
    private AdminConsole() {
    }

    /**
     * @param token {@code admin.token}, or null for a read-only page
     * @param io    a thread for the audit log, which the event loops must not wait on: the page's
     *              writes run there, and the audit tail is refreshed there once a second
     */
    public static void install(AdminRoutes routes, StatusEndpoint status, String token, FlagWriter writer,
                               Path flagsFile, ScheduledExecutorService io) {
        ActionGuard guard = new ActionGuard(token);
        AuditedPageWrite writes = new AuditedPageWrite(writer, flagsFile);
        AuditTail audit = new AuditTail(writes.log());
        io.scheduleWithFixedDelay(audit::refresh, 0, 1, TimeUnit.SECONDS);
        routes.add("/", ConsoleAssets.html())
                .add("/console.css", ConsoleAssets.css())
                .add("/console.js", ConsoleAssets.script())
                .addAction(SetFlagAction.PATH, new SetFlagAction(guard, writes, command -> io.execute(() -> {
                    command.run();
                    audit.refresh();
                })));
        status.with("actions", () -> Boolean.toString(guard.actionsOn()))
                .with("audit", audit::json);
    }
}
