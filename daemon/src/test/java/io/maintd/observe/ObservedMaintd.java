package io.maintd.observe;

import io.maintd.testsupport.MaintdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bin/maintd} as operators run it, with the routes these tests observe: {@code maint > 0}
 * → maintenance unless the bypass header; {@code shed > 0} → shed; {@code /down/} → a backend
 * nothing listens on (503, the error route); else the app backend.
 */
final class ObservedMaintd {
    static final String BYPASS_HEADER = "X-Maintd-Bypass";
    static final String BYPASS_TOKEN = "let-me-in";

    private ObservedMaintd() {
    }

    static MaintdProcess start(Path dir, int appPort) throws IOException, InterruptedException {
        return start(dir, appPort, "127.0.0.1:0", "");
    }

    /**
     * @param admin the {@code admin:} value, e.g. {@code "{ listen: 127.0.0.1:0, token: ... }"}
     * @param extra more top-level YAML, e.g. {@code "maintenance: { announce: 1h }"}
     */
    static MaintdProcess start(Path dir, int appPort, String admin, String extra) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        return MaintdProcess.startLauncher(MaintdProcess.config(dir, "127.0.0.1:0", admin, appPort, String.join("\n",
                "  down: { servers: [127.0.0.1:" + MaintdProcess.freePort() + "] }",
                "rules:",
                "  - if: \"maint > 0\"",
                "    unless: { header: " + BYPASS_HEADER + ", equals: " + BYPASS_TOKEN + " }",
                "    then: maintenance",
                "  - if: \"shed > 0\"",
                "    then: { shed: shed }",
                "  - match: { path: /down/ }",
                "    then: { backend: down }",
                "  - then: { backend: app }",
                extra)));
    }
}
