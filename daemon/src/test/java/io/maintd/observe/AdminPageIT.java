package io.maintd.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.Launchers;
import io.maintd.testsupport.MaintdProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin page in a real browser: Debian's headless chromium, driven by playwright-core from
 * npm ({@code daemon/src/test/browser}, installed with {@code npm ci} from its committed lock
 * into {@code daemon/target/browser-test}), against two real maintd processes, one with
 * {@code admin.token} and one without. The checks themselves are in
 * {@code admin-page-check.mjs}; it also takes the screenshot docs/img/admin.png is copied from
 * ({@code daemon/target/browser-test/admin.png}): into target/, so a test run never leaves the
 * checkout changed.
 *
 * <p>playwright-core rather than chromedriver: one npm package with no dependencies and no
 * browser download of its own (it drives the chromium Debian installs), waits that are
 * conditions ({@code waitForFunction}) rather than sleeps, and a full-page screenshot in one call.
 */
@Timeout(600)
class AdminPageIT {
    private static final String TOKEN = "admin-page-test-token-0123456789";
    private static final Path SOURCES = Launchers.ROOT.resolve("daemon/src/test/browser");
    private static final Path WORK = Launchers.ROOT.resolve("daemon/target/browser-test");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "admin-page-check.mjs");

    @TempDir
    Path dir;

    @Test
    void thePageShowsTheStateFollowsFlipsActsWithTheTokenAndOnlyWithIt() throws Exception {
        installPlaywright();
        try (HeldBackend app = new HeldBackend("app");
             MaintdProcess withToken = ObservedMaintd.start(dir.resolve("a"), app.port(), "{ listen: 127.0.0.1:0, token: " + TOKEN + " }", "");
             MaintdProcess readOnly = ObservedMaintd.start(dir.resolve("b"), app.port())) {
            ProcessBuilder node = new ProcessBuilder("node", "admin-page-check.mjs").directory(WORK.toFile())
                    .redirectErrorStream(true);
            node.environment().putAll(Map.of(
                    "ADMIN_URL", withToken.admin("").toString(),
                    "PROXY_URL", withToken.proxy("").toString(),
                    "READONLY_URL", readOnly.admin("").toString(),
                    "TOKEN", TOKEN,
                    "FLAGCTL", Launchers.flagctl().toString(),
                    "FLAGS_FILE", withToken.flags().toString(),
                    "SCREENSHOT", WORK.resolve("admin.png").toString()));
            node.environment().remove("FLAGCTL_JAVA_OPTS");
            Run run = Run.of(node, 300);
            assertEquals(0, run.exit(), "admin-page-check.mjs failed:\n" + run.output()
                    + "\nmaintd (with token) log:\n" + String.join("\n", withToken.logLines()));
            System.out.println(run.output());
        }
    }

    /**
     * {@code npm ci} from the committed lock, again only when the lock changed: the node_modules
     * of the last install stay in target/ between runs.
     */
    private static void installPlaywright() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        for (String name : FILES) {
            Files.copy(SOURCES.resolve(name), WORK.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        Path installed = WORK.resolve("node_modules/.installed-from-lock.json");
        byte[] lock = Files.readAllBytes(WORK.resolve("package-lock.json"));
        if (Files.exists(installed) && java.util.Arrays.equals(lock, Files.readAllBytes(installed))) {
            return;
        }
        Run npm = Run.of(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(WORK.toFile())
                .redirectErrorStream(true), 300);
        assertEquals(0, npm.exit(), "npm ci failed (is the npm registry reachable?):\n" + npm.output());
        Files.write(installed, lock);
    }

    private record Run(int exit, String output) {
        static Run of(ProcessBuilder builder, long timeoutSeconds) throws IOException, InterruptedException {
            Process process = builder.start();
            StringBuilder output = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // The process died; what was read is what there is.
                }
            });
            reader.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
            return new Run(process.isAlive() ? -1 : process.exitValue(), output.toString());
        }
    }
}
